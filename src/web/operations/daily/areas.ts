import { useEffect, useState } from 'react';
import { OUTSIDE_AREAS } from '../../../core/operations/daily-report';
import { BOUNDARIES_URL } from '../map/IncidentMap';

/*
 * Area names for the daily report. The server names oblasts as the boundary data does (ADMIN_1, in
 * Ukrainian); the English name comes from the same file the map draws, so both agree.
 */

let names: Promise<ReadonlyMap<string, string>> | null = null;

function loadNames(): Promise<ReadonlyMap<string, string>> {
  names ??= fetch(BOUNDARIES_URL)
    .then((r) => (r.ok ? (r.json() as Promise<{ features: { properties: { name_uk?: string; name_en?: string } }[] }>) : { features: [] }))
    .then(
      (fc) =>
        new Map(
          fc.features.flatMap((f) =>
            f.properties.name_uk && f.properties.name_en ? [[f.properties.name_uk, f.properties.name_en] as const] : [],
          ),
        ),
    )
    .catch(() => {
      names = null;
      return new Map<string, string>();
    });
  return names;
}

/** `area → shown name` in the reader's language (Ukrainian names stay as they are). */
export function useAreaName(language: string, outside: string): (area: string) => string {
  const [english, setEnglish] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    let cancelled = false;
    void loadNames().then((m) => !cancelled && setEnglish(m));
    return () => {
      cancelled = true;
    };
  }, []);
  return (area) => {
    if (area === OUTSIDE_AREAS) return outside;
    return language === 'uk' ? area : (english.get(area) ?? area);
  };
}
