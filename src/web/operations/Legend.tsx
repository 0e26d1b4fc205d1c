import { CASE_STATUSES } from '../../core/operations/model';
import { useT } from '../i18n';
import type { ZonesInForce } from './api';
import { NOTICE_COLOUR, STATUS_COLOURS, ZONE_COLOURS } from './map/style';
import { ZONE_KINDS, type ZoneKind } from './map/zones';

/** What the colours and lines mean: zones drawn from the framework in force, incidents by status. */
export function Legend({ zones, notices = false }: { readonly zones: ZonesInForce | null; readonly notices?: boolean }) {
  const t = useT();
  const present = new Set<ZoneKind>(zones?.features.map((f) => f.properties.kind) ?? []);
  const anyProposed = zones?.features.some((f) => f.properties.standing === 'proposed') ?? false;
  const areas = new Set<ZoneKind>(['buffer-zone', 'corridor-buffer', 'airspace-area']);
  return (
    <section className="map-legend" aria-labelledby="map-legend-title">
      <h3 id="map-legend-title">{t.live.legend.title}</h3>
      {present.size > 0 && (
        <>
          <h4>{t.live.legend.zones}</h4>
          <ul className="legend-list">
            {ZONE_KINDS.filter((k) => present.has(k)).map((kind) => (
              <li key={kind} data-zone-kind={kind}>
                <span
                  className={`legend-swatch ${areas.has(kind) ? 'legend-area' : 'legend-line'} legend-${kind}`}
                  style={{ ['--swatch' as string]: ZONE_COLOURS[kind] }}
                  aria-hidden="true"
                />
                {t.live.zoneKinds[kind]}
              </li>
            ))}
            {anyProposed && (
              <li>
                <span className="legend-swatch legend-proposed" aria-hidden="true" />
                {t.live.legend.proposed}
              </li>
            )}
          </ul>
        </>
      )}
      {zones && zones.withdrawals.length > 0 && (
        <>
          <h4>{t.live.legend.withdrawalTitle}</h4>
          <ul className="legend-list legend-withdrawals">
            {zones.withdrawals.flatMap((w) =>
              w.withdrawals.map((x) => (
                <li key={`${w.id}-${x.weaponClass}`}>
                  {t.live.legend.withdrawal(
                    weaponName(t.live.weaponClasses, x.weaponClass),
                    (x.distance_m / 1000).toLocaleString(t.meta.locale),
                  )}
                </li>
              )),
            )}
          </ul>
        </>
      )}
      {notices && (
        <>
          <h4>{t.live.notices.legend}</h4>
          <ul className="legend-list">
            <li>
              <span className="legend-swatch legend-dot legend-site" style={{ ['--swatch' as string]: NOTICE_COLOUR }} aria-hidden="true" />
              {t.live.notices.site}
            </li>
            <li>
              <span className="legend-swatch legend-dot legend-site" style={{ ['--swatch' as string]: '#c77700' }} aria-hidden="true" />
              {t.live.notices.escalated}
            </li>
            <li>
              <span
                className="legend-swatch legend-line legend-route"
                style={{ ['--swatch' as string]: NOTICE_COLOUR }}
                aria-hidden="true"
              />
              {t.live.notices.movement}
            </li>
            <li>
              <span className="legend-swatch legend-dot legend-struck" aria-hidden="true" />
              {t.live.notices.struck}
            </li>
          </ul>
        </>
      )}
      <h4>{t.live.legend.statuses}</h4>
      <ul className="legend-list">
        {CASE_STATUSES.map((status) => (
          <li key={status}>
            <span className="legend-swatch legend-dot" style={{ ['--swatch' as string]: STATUS_COLOURS[status] }} aria-hidden="true" />
            {t.live.statuses[status]}
          </li>
        ))}
        <li>
          <span className="legend-swatch legend-cluster" aria-hidden="true" />
          {t.live.legend.cluster}
        </li>
        <li>
          <span className="legend-swatch legend-cluster legend-cluster-verified" aria-hidden="true" />
          {t.live.legend.clusterVerified}
        </li>
      </ul>
    </section>
  );
}

/** A weapon class by its name, or its code in words (the framework's vocabulary is open: `heavy-mlrs`). */
function weaponName(table: Readonly<Record<string, string>>, code: string): string {
  return Object.prototype.hasOwnProperty.call(table, code) ? table[code]! : code.replace(/-/g, ' ');
}
