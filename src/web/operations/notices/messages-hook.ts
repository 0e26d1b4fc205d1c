import { useLanguage } from '../../i18n';
import { noticesEn, noticesUk, type NoticeMessages } from './messages';

/** The notices' text in the reader's language (kept out of the lazily loaded view: the tab needs it too). */
export function useNoticeMessages(): NoticeMessages {
  return useLanguage().language === 'uk' ? noticesUk : noticesEn;
}
