import { ComingSoon } from '../shell/ComingSoon';

/** The evidence module's page. A placeholder until the module is built: replace this component. */
export default function EvidencePage() {
  return <ComingSoon module="evidence" />;
}
