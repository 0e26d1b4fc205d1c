import { ComingSoon } from '../shell/ComingSoon';

/** The prosperity module's page. A placeholder until the module is built: replace this component. */
export default function ProsperityPage() {
  return <ComingSoon module="prosperity" />;
}
