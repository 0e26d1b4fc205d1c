import { ComingSoon } from '../shell/ComingSoon';

/** The guarantees module's page. A placeholder until the module is built: replace this component. */
export default function GuaranteesPage() {
  return <ComingSoon module="guarantees" />;
}
