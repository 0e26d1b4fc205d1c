import { frameworkExportUrl, FRAMEWORK_EXPORT_FORMATS } from '../api';
import { useT } from '../i18n';
import { autonym } from './document';

/** Downloads of the version on screen, in the languages on screen (Akoma Ntoso always carries every language). */
export function ExportLinks({ version, languages }: { readonly version: number; readonly languages: readonly string[] }) {
  const t = useT();
  const e = t.framework.exports;
  const languageList = languages.map(autonym).join(' | ');
  return (
    <div className="fw-exports" role="group" aria-labelledby="fw-exports-label">
      <span className="fw-exports-label" id="fw-exports-label">
        {e.label(version)}
      </span>
      {FRAMEWORK_EXPORT_FORMATS.map((format) => (
        <a
          key={format}
          className="button button-small fw-export"
          href={frameworkExportUrl(version, format, languages)}
          download
          data-format={format}
          title={e.describe(version, format === 'akn' ? e.aknAll : languageList)}
        >
          {e[format]}
        </a>
      ))}
    </div>
  );
}
