/** The slice of a pino logger this package uses, so embedding apps pass theirs and tests pass none. */
export interface LoggerLike {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export const silentLogger: LoggerLike = {
  info() {},
  warn() {},
  debug() {},
};
