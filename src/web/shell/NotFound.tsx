import { useT } from '../i18n';
import { Link } from '../router';
import { PageHeader } from './PageHeader';

export function NotFound() {
  const t = useT();
  return (
    <article className="page">
      <PageHeader title={t.errors.notFoundTitle} lead={t.errors.notFound} />
      <p>
        <Link to="/">{t.errors.backToOverview}</Link>
      </p>
    </article>
  );
}
