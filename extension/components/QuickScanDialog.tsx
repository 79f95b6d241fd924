import { riskCategories, type RiskCategory, type ScanTask } from '@shipshape/shared';
import { useState } from 'preact/hooks';
import type { Api } from '../lib/api';
import { describeError } from '../lib/failure';
import { CategoryChoice, ScopeChoice } from './CategoryChoice';
import { Dialog } from './Dialog';
import { ImagePicker } from './ImagePicker';

/** Quick Scan: risk categories × all images or the ones picked (pre-filled with the selection). */
export function QuickScanDialog({ api, initialImages, onStarted, onClose }: { api: Api; initialImages: string[]; onStarted(task: ScanTask): void; onClose(): void }) {
  const [categories, setCategories] = useState<RiskCategory[]>([...riskCategories]);
  const [all, setAll] = useState(initialImages.length === 0);
  const [images, setImages] = useState<string[]>(initialImages);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ready = categories.length > 0 && (all || images.length > 0);
  const start = async () => {
    setBusy(true);
    try {
      onStarted(await api.createScan({ images: all ? 'all' : images, categories }));
      onClose();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Quick scan" onClose={onClose}>
      <CategoryChoice value={categories} onChange={setCategories} />
      <ScopeChoice name="quick-scan-scope" all={all} onChange={setAll} />
      {!all && <ImagePicker api={api} value={images} onChange={setImages} />}
      {error && <p role="alert" class="error">{error}</p>}
      <footer>
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="button" class="primary" disabled={!ready || busy} onClick={() => void start()}>Start scan</button>
      </footer>
    </Dialog>
  );
}
