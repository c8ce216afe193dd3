/**
 * A byte stream to an SMTP server, the same shape whether the server is the simulator in
 * this process or a real server across TCP. Data is text: SMTP lines are ASCII or UTF-8 and
 * the transcript is text, so the transport decodes bytes as UTF-8 (real transports) or
 * passes strings through (simulator).
 */
export interface TlsInfo {
  readonly protocol: string;
  readonly cipher: string;
  /** Subject CN of the server certificate, when there is one. */
  readonly peerCertificate?: string;
  /** True when the handshake was simulated rather than real cryptography. */
  readonly simulated: boolean;
  /** The server certificate's details, when the transport saw one. */
  readonly certificate?: CertificateInfo;
}

/** What a learner can check about the certificate the server presented. */
export interface CertificateInfo {
  /** Distinguished name fields as `k=v, …`, e.g. "CN=sandbox.smtp-lab.test". */
  readonly subject: string;
  readonly issuer: string;
  readonly validFrom: string;
  readonly validTo: string;
  /** SHA-256 fingerprint, colon-separated hex. */
  readonly fingerprint256: string;
}

export interface TransportHandlers {
  /** Text received from the server, in arbitrary chunks (not split at line ends). */
  onData(text: string): void;
  /** The connection ended; `reason` says why when it was not a normal close. */
  onClose(reason?: string): void;
}

export interface Transport {
  /** Sends text exactly as given (the caller adds CRLF). */
  write(text: string): void;
  /** Replaces the plain connection with TLS after the server's 220 to STARTTLS. */
  startTls(): Promise<TlsInfo>;
  /** Closes the connection from the client side. */
  close(): void;
}

/** Opens a transport; rejects with a one-line reason when the server is unreachable. */
export type TransportFactory = (handlers: TransportHandlers) => Promise<Transport>;
