import type { ImageDetail } from '@shipshape/shared';
import type { Api } from '../../lib/api';
import { formatBytes, formatTime } from '../../lib/format';
import { StatusBadge } from '../StatusBadge';
import { RiskTiles } from '../RiskTiles';
import { RiskHistoryChart } from './RiskHistoryChart';

/** Risk summary (outcome and counts per category) and the image's own facts. */
export function SummaryTab({ image, api, version }: { image: ImageDetail; api: Api; version: number }) {
  const v = image.risks.vulnerabilities;
  return (
    <div class="summary">
      <section aria-label="Risk summary">
        <p>
          <StatusBadge value={image.scanStatus} /> <StatusBadge value={image.securityStatus} />
          {image.highPriority && <strong class="priority"> High priority (score {image.priorityScore})</strong>}
        </p>
        {image.scanError && (
          <p class="error" role="status">
            The last scan did not finish: {image.scanError}. Use “Scan again” to retry.
          </p>
        )}
        {image.scanStatus === 'not_scanned' && <p class="muted">Not scanned yet: use “Scan again” to look for risks.</p>}
        <RiskTiles
          testId="risk-summary"
          counts={[
            ['critical', 'Critical', v.critical],
            ['high', 'High', v.high],
            ['medium', 'Medium', v.medium],
            ['low', 'Low', v.low],
            ['viruses', 'Viruses', image.risks.viruses],
            ['trojans', 'Trojans', image.risks.trojans],
            ['sensitive', 'Sensitive', image.risks.sensitive],
          ]}
        />
        <RiskHistoryChart api={api} imageId={image.id} version={version} />
      </section>
      <section aria-label="Image details">
        <dl class="facts">
          <dt>Name</dt><dd>{image.name}</dd>
          <dt>ID</dt><dd><code>{image.id}</code></dd>
          <dt>Tags</dt><dd>{image.repoTags.join(', ') || '—'}</dd>
          <dt>Size</dt><dd>{formatBytes(image.size)}</dd>
          <dt>OS</dt><dd>{image.distro ? `${image.distro.family} ${image.distro.version}` : image.os} ({image.architecture})</dd>
          <dt>Created</dt><dd>{formatTime(image.created)}</dd>
          <dt>Last scan</dt><dd>{formatTime(image.lastScanned)}</dd>
          <dt>Containers</dt><dd>{image.containers.running} running of {image.containers.total}</dd>
          <dt>Digests</dt><dd>{image.repoDigests.length ? image.repoDigests.map((d) => <code key={d} class="block">{d}</code>) : '—'}</dd>
        </dl>
      </section>
    </div>
  );
}
