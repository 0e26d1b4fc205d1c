import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, type Messages } from './en';
import { uk } from './uk';

export type { Messages };

export const LANGUAGES = { en, uk } as const satisfies Record<string, Messages>;
export type Language = keyof typeof LANGUAGES;
export const LANGUAGE_CODES = Object.keys(LANGUAGES) as Language[];

const STORAGE_KEY = 'entente.language';

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(LANGUAGES, value);
}

/** The stored choice, else the browser's preference, else English. */
export function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage can be disabled (private windows, policies): fall through to the browser's preference.
  }
  const preferred = typeof navigator !== 'undefined' ? navigator.languages : [];
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

interface LanguageContextValue {
  readonly language: Language;
  readonly messages: Messages;
  readonly setLanguage: (language: Language) => void;
}

const LanguageContext = createContext<LanguageContextValue | null>(null);

export function LanguageProvider({ children }: { readonly children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);

  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisted; the choice still holds for this visit.
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const value = useMemo(() => ({ language, messages: LANGUAGES[language], setLanguage }), [language, setLanguage]);
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

function useLanguageContext(): LanguageContextValue {
  const value = useContext(LanguageContext);
  if (!value) throw new Error('useT and useLanguage need a <LanguageProvider> above them');
  return value;
}

/** The interface text in the reader's language: `const t = useT(); t.nav.audit`. */
export function useT(): Messages {
  return useLanguageContext().messages;
}

export function useLanguage(): { readonly language: Language; readonly setLanguage: (language: Language) => void } {
  const { language, setLanguage } = useLanguageContext();
  return { language, setLanguage };
}

/** Looks a code up in a message table, falling back to the code itself for values added later. */
export function label<T extends Record<string, string>>(table: T, code: string): string {
  return Object.prototype.hasOwnProperty.call(table, code) ? (table[code as keyof T] as string) : code;
}
