import { LANGUAGE_CODES, LANGUAGES, useLanguage, useT } from '../i18n';

/** Each language is named in itself, so a reader who cannot read the current one still finds theirs. */
export function LanguageSwitch() {
  const t = useT();
  const { language, setLanguage } = useLanguage();
  return (
    <div className="lang-switch" role="group" aria-label={t.app.language}>
      {LANGUAGE_CODES.map((code) => (
        <button key={code} type="button" lang={code} aria-pressed={code === language} onClick={() => setLanguage(code)}>
          {LANGUAGES[code].meta.languageName}
        </button>
      ))}
    </div>
  );
}
