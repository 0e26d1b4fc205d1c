import { useT } from '../i18n';
import { MODULES } from '../modules';
import { Link } from '../router';
import { ModuleIcon } from './icons';
import { LanguageSwitch } from './LanguageSwitch';

export function Nav({ open }: { readonly open: boolean }) {
  const t = useT();
  return (
    <nav id="primary-nav" className={`sidenav${open ? ' sidenav-open' : ''}`} aria-label={t.nav.label}>
      <ul>
        <li>
          <Link to="/">
            <ModuleIcon id="overview" />
            <span>{t.nav.overview}</span>
          </Link>
        </li>
        {MODULES.map((m) => (
          <li key={m.id} className={m.id === 'audit' ? 'sidenav-separated' : undefined}>
            <Link to={m.path}>
              <ModuleIcon id={m.id} />
              <span>{t.nav[m.id]}</span>
            </Link>
          </li>
        ))}
      </ul>
      {/* On phones the top bar has no room for it: the language switch lives in the menu. */}
      <div className="sidenav-language">
        <LanguageSwitch />
      </div>
    </nav>
  );
}
