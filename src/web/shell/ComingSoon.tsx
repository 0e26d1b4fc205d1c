import { useT } from '../i18n';
import type { ModuleId } from '../modules';
import { ModuleIcon } from './icons';
import { PageHeader } from './PageHeader';

/** The page of a module that is not built yet: what it is for, and what will come here. */
export function ComingSoon({ module }: { readonly module: Exclude<ModuleId, 'audit'> }) {
  const t = useT();
  const text = t.modules[module];
  return (
    <article className="page">
      <PageHeader title={t.nav[module]} lead={text.summary} />
      <section className="coming-soon" aria-labelledby="coming-soon-badge">
        <span className="coming-soon-icon">
          <ModuleIcon id={module} />
        </span>
        <div>
          <p className="badge" id="coming-soon-badge">
            {t.comingSoon.badge}
          </p>
          <p>{text.coming}</p>
        </div>
      </section>
    </article>
  );
}
