import { useMemo } from 'react';
import { useLanguage, useT } from '../../i18n';
import { useApi } from '../../session';
import { IncidentMap, type LonLat } from '../map/IncidentMap';
import { IncidentSet } from '../map/incidents';
import { noticeFeatures, useNotices } from '../notices';
import type { NoticeMessages } from './messages';

/*
 * The live picture's map, reused to pick a notified site's place or draw a movement's route point by
 * point. It shows the notices already given (so an organisation sees what is near) but no incidents.
 */

export type PickTarget = 'site' | 'route' | null;

export function PickMap({
  t,
  target,
  onPick,
  picked,
}: {
  readonly t: NoticeMessages;
  readonly target: PickTarget;
  readonly onPick: (place: LonLat) => void;
  readonly picked: LonLat | null;
}) {
  const common = useT();
  const { language } = useLanguage();
  const api = useApi();
  const notices = useNotices(api);
  const layer = useMemo(() => (notices.available ? noticeFeatures(notices.notices, notices.alerts) : null), [notices]);
  // No incidents on this map: an empty set, built once.
  const empty = useMemo(() => ({ set: IncidentSet.from([]), version: 0, indices: new Uint32Array(0) }), []);
  return (
    <div className={`incident-map hn-map${target ? ' map-picking' : ''}`} data-pick-target={target ?? 'none'}>
      <IncidentMap
        label={t.pick.label}
        attribution={common.live.map.attribution}
        language={language === 'uk' ? 'uk' : 'en'}
        incidents={empty}
        zones={[]}
        notices={layer}
        onPick={target ? onPick : null}
        picked={picked}
      />
      <p className="field-hint">{target === 'site' ? t.pick.site : target === 'route' ? t.pick.route : t.pick.idle}</p>
    </div>
  );
}
