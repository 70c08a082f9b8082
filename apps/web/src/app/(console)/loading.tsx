import { SkeletonBlock } from '../../components/ui/states';

export default function Loading() {
  return (
    <div className="card card-body">
      <SkeletonBlock lines={8} />
    </div>
  );
}
