/**
 * The error and notice banners under the toolbar; an error hides the notice until dismissed. The
 * web edition's update prompt sits above them (UpdateBanner.tsx).
 */
import { useStudio } from '../state/store';
import { UpdateBanner } from './UpdateBanner';

export function Banners() {
  const error = useStudio((s) => s.error);
  const notice = useStudio((s) => s.notice);
  const dismiss = useStudio((s) => s.dismissError);
  return (
    <>
      <UpdateBanner />
      {error && (
        <div className="error-banner" role="alert">
          {error}
          <button onClick={dismiss} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}

      {notice && !error && (
        <div className="notice-banner" role="status">
          {notice}
          <button onClick={dismiss} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
    </>
  );
}
