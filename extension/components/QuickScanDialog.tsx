import { riskCategories, type RiskCategory, type ScanTask } from '@shipshape/shared';
import { useState } from 'preact/hooks';
import type { Api } from '../lib/api';
import { ActionDialog } from './ActionDialog';
import { CategoryChoice, ScopeChoice } from './CategoryChoice';
import { ImagePicker } from './ImagePicker';

/** Quick Scan: risk categories × all images or the ones picked (pre-filled with the selection). */
export function QuickScanDialog({ api, initialImages, onStarted, onClose }: { api: Api; initialImages: string[]; onStarted(task: ScanTask): void; onClose(): void }) {
  const [categories, setCategories] = useState<RiskCategory[]>([...riskCategories]);
  const [all, setAll] = useState(initialImages.length === 0);
  const [images, setImages] = useState<string[]>(initialImages);
  const ready = categories.length > 0 && (all || images.length > 0);
  const start = async () => onStarted(await api.createScan({ images: all ? 'all' : images, categories }));
  return (
    <ActionDialog title="Quick scan" actionLabel="Start scan" ready={ready} onAction={start} onClose={onClose}>
      <CategoryChoice value={categories} onChange={setCategories} />
      <ScopeChoice name="quick-scan-scope" all={all} onChange={setAll} />
      {!all && <ImagePicker api={api} value={images} onChange={setImages} />}
    </ActionDialog>
  );
}
