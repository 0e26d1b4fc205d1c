import { useT } from '../i18n';

export function BrandMark() {
  return (
    <svg className="brand-mark" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="currentColor" />
      <path d="M9 9h14v3H12.5v2.5H21v3h-8.5V20H23v3H9z" fill="#f4f6f8" />
    </svg>
  );
}

export function Brand({ withTagline = false }: { readonly withTagline?: boolean }) {
  const t = useT();
  return (
    <span className="brand">
      <BrandMark />
      <span className="brand-text">
        <span className="brand-name">{t.app.name}</span>
        {withTagline && <span className="brand-tagline">{t.app.tagline}</span>}
      </span>
    </span>
  );
}
