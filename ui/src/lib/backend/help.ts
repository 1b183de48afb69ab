// Help: the About box, diagnostics for a bug report, the log folder. Like the rest of
// `backend`, the only way to the commands.
import { call } from './index';

export const help = {
  /** Version, commit and licence. */
  about: () => call('about'),
  /** Version, OS, webview, engine, region, profile kind, last errors (no secret), put on the
   *  clipboard by the backend: the text, and whether the clipboard took it. */
  copyDiagnostics: () => call('copy_diagnostics'),
  /** Open the log folder in the file manager; answers its path. */
  openLogFolder: () => call('open_log_folder'),
};

export type HelpBackend = typeof help;
