/** The broker endpoints we call, named as in metrics (`endpoint` label) and the simulator's call log. */
export const BROKER_ENDPOINTS = ['account', 'positions', 'activities', 'portfolio_history'] as const;

export type BrokerEndpoint = (typeof BROKER_ENDPOINTS)[number];
