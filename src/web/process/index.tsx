import { ComingSoon } from '../shell/ComingSoon';

/** The process module's page. A placeholder until the module is built: replace this component. */
export default function ProcessPage() {
  return <ComingSoon module="process" />;
}
