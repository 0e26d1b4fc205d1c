import { useT } from '../i18n';
import { MODULES } from '../modules';
import { Link } from '../router';
import { useUser } from '../session';
import { ModuleIcon } from './icons';
import { PageHeader } from './PageHeader';

export function OverviewPage() {
  const t = useT();
  const user = useUser();
  return (
    <article className="page">
      <PageHeader title={t.overview.welcome(user.displayName)} lead={t.overview.intro} />
      <ul className="module-grid">
        {MODULES.map((m) => (
          <li key={m.id}>
            <Link to={m.path} className="module-card">
              <span className="module-card-icon">
                <ModuleIcon id={m.id} />
              </span>
              <span className="module-card-title">{t.nav[m.id]}</span>
              <span className="module-card-summary">{t.modules[m.id].summary}</span>
            </Link>
          </li>
        ))}
      </ul>
      <p className="promises">{t.overview.promises}</p>
    </article>
  );
}
