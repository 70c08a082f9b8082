import { PendingRoute } from '../../components/shell/route-progress';
import { SkeletonBlock } from '../../components/ui/states';

export default function Loading() {
  return (
    <div className="card card-body">
      <PendingRoute />
      <SkeletonBlock lines={8} />
    </div>
  );
}
