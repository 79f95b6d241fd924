import type { ImageSummary } from '@shipshape/shared';
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../lib/api';
import { describeError } from '../lib/failure';

/** A searchable multi-select of images (the helper searches by name or ID). */
export function ImagePicker({ api, value, onChange }: { api: Api; value: string[]; onChange(ids: string[]): void }) {
  const [q, setQ] = useState('');
  const [images, setImages] = useState<ImageSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => {
      api.images({ q: q.trim() || undefined, sort: 'name', order: 'asc', limit: 500 }).then(
        (list) => { setImages(list.items); setError(null); },
        (e: unknown) => setError(describeError(e)),
      );
    }, 150);
    return () => clearTimeout(timer);
  }, [q]);
  const toggle = (id: string) => onChange(value.includes(id) ? value.filter((v) => v !== id) : [...value, id]);
  return (
    <div class="picker">
      <input type="search" aria-label="Find images to pick" placeholder="Find an image" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
      <p class="muted">{value.length} selected</p>
      {error && <p role="alert" class="error">{error}</p>}
      <ul role="listbox" aria-multiselectable="true" aria-label="Images">
        {images.map((image) => (
          <li key={image.id} role="option" aria-selected={value.includes(image.id)}>
            <label class="check">
              <input type="checkbox" checked={value.includes(image.id)} onChange={() => toggle(image.id)} /> {image.name}
            </label>
          </li>
        ))}
        {!error && images.length === 0 && <li class="muted">No image matches.</li>}
      </ul>
    </div>
  );
}
