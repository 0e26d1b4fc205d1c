import { useState } from 'react';
import { label, useT } from '../i18n';
import { partyName, useSession, useUser } from '../session';
import { Brand } from './Brand';
import { ConnectionIndicator } from './ConnectionIndicator';
import { LanguageSwitch } from './LanguageSwitch';

interface HeaderProps {
  readonly menuOpen: boolean;
  readonly onToggleMenu: () => void;
}

export function Header({ menuOpen, onToggleMenu }: HeaderProps) {
  const t = useT();
  const user = useUser();
  const { parties, signOut } = useSession();
  const [signingOut, setSigningOut] = useState(false);
  const party = partyName(parties, user.party);

  return (
    <header className="topbar">
      <button type="button" className="menu-toggle" aria-expanded={menuOpen} aria-controls="primary-nav" onClick={onToggleMenu}>
        <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
          <path
            d={menuOpen ? 'M5 5l10 10M15 5L5 15' : 'M3 5.5h14M3 10h14M3 14.5h14'}
            stroke="currentColor"
            strokeWidth="1.8"
            strokeLinecap="round"
          />
        </svg>
        <span className="visually-hidden">{menuOpen ? t.app.closeMenu : t.app.menu}</span>
      </button>
      <a className="brand-link" href="#/">
        <Brand />
      </a>

      <div className="identity" aria-label={t.header.account} role="group">
        <span className="identity-name">{user.displayName}</span>
        {parties === null && user.party !== null ? (
          <span className="identity-party identity-pending" aria-hidden="true" />
        ) : (
          <span className="identity-party" data-testid="acting-for">
            {party ? t.header.actingFor(party) : t.header.noParty}
          </span>
        )}
        <span className="identity-roles">
          <span className="visually-hidden">{t.header.roles}: </span>
          {user.roles.map((role) => (
            <span key={role} className="chip">
              {label(t.roles, role)}
            </span>
          ))}
        </span>
      </div>

      <div className="topbar-tools">
        <ConnectionIndicator />
        <div className="topbar-language">
          <LanguageSwitch />
        </div>
        <button
          type="button"
          className="button button-quiet button-small"
          disabled={signingOut}
          onClick={() => {
            setSigningOut(true);
            void signOut().finally(() => setSigningOut(false));
          }}
        >
          {t.header.signOut}
        </button>
      </div>
    </header>
  );
}
