import type { CredentialChange, CredentialReloader } from '@friren/config';
import type { Logger } from '@friren/observability';

export interface CredentialWatchOptions {
  readonly reloader: CredentialReloader;
  /** Period of the re-read; 0: only on SIGHUP. */
  readonly everyMs: number;
  readonly logger: Logger;
  /** Called once per account whose credentials changed. */
  readonly onChange: (change: CredentialChange) => void;
}

export interface CredentialWatch {
  /** Re-reads the credential files now. */
  reload(): void;
  close(): void;
}

/**
 * Picks up rotated credential files (Kubernetes or Docker secrets are rotated by rewriting the
 * file): a re-read every `everyMs` and on SIGHUP. A file that cannot be read keeps the credentials
 * in use; that is logged when it starts and when it ends, not on every re-read.
 */
export function watchCredentials(opts: CredentialWatchOptions): CredentialWatch {
  const { reloader, logger } = opts;
  // loadConfig refused to start with unreadable files, so the start is clean.
  let reported = '[]';

  function reload(): void {
    try {
      const { changed, issues } = reloader.reload();
      const now = JSON.stringify(issues);
      if (now !== reported) {
        if (issues.length > 0) {
          logger.warn({ issues }, 'cannot read the new broker credentials; keeping the ones in use');
        } else {
          logger.info('broker credential files readable again');
        }
        reported = now;
      }
      for (const change of changed) opts.onChange(change);
    } catch (error) {
      logger.error({ err: error }, 'credential reload failed; keeping the credentials in use');
    }
  }

  const timer = opts.everyMs > 0 ? setInterval(reload, opts.everyMs) : undefined;
  // The reload runs on the event loop alone; it must not keep a closing process alive.
  timer?.unref();
  const onHangup = () => {
    logger.info('SIGHUP: reading the broker credential files again');
    reload();
  };
  process.on('SIGHUP', onHangup);

  return {
    reload,
    close() {
      clearInterval(timer);
      process.off('SIGHUP', onHangup);
    },
  };
}
