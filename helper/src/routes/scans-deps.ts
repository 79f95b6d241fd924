/** What the scan-side route modules need: the foundation's deps plus the scan services. */
import type { AppDeps } from '../app.ts';
import type { ScanServices } from '../scan/services.ts';

export type ScanRouteDeps = AppDeps & { scans: ScanServices };
