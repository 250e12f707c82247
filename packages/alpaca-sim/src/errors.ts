/** An error answered to the client in Alpaca's shape: `{ code, message }` with an HTTP status. */
export class AlpacaApiError extends Error {
  readonly status: number;
  readonly code: number;

  constructor(status: number, code: number, message: string) {
    super(message);
    this.name = 'AlpacaApiError';
    this.status = status;
    this.code = code;
  }

  toJSON(): { code: number; message: string } {
    return { code: this.code, message: this.message };
  }
}

export const unauthorized = (): AlpacaApiError =>
  new AlpacaApiError(401, 40110000, 'request is not authorized');

export const rateLimitExceeded = (): AlpacaApiError =>
  new AlpacaApiError(429, 42910000, 'rate limit exceeded');

export const insufficientBuyingPower = (): AlpacaApiError =>
  new AlpacaApiError(403, 40310000, 'insufficient buying power');

export const forbidden = (message: string): AlpacaApiError => new AlpacaApiError(403, 40310000, message);

/** Alpaca answers an unprocessable request body or query with 422 and code 40010001. */
export const unprocessable = (message: string): AlpacaApiError => new AlpacaApiError(422, 40010001, message);

export const notFound = (message: string): AlpacaApiError => new AlpacaApiError(404, 40410000, message);
