/**
 * A minimal Protocol Buffers encoder: just the wire types ONNX's ModelProto needs (varints and
 * length-delimited fields). Written by hand because the engine takes no dependencies beyond zod
 * and must run in a worker and the renderer as well as in Node; ONNX's schema is small and
 * stable, and the tests check every file it produces by loading it in ONNX Runtime.
 *
 * Wire format: each field is a key varint `(fieldNumber << 3) | wireType`, then the value.
 * Wire type 0 is a varint, 2 is length-delimited (strings, bytes, nested messages, packed arrays).
 */

/** Builds one protobuf message; nested messages are built with their own writer. */
export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private current: number[] = [];
  private size = 0;

  /** An integer field (int32, int64, enum) as a varint. Negative values take ten bytes, as int64 requires. */
  int(field: number, value: number): this {
    if (!Number.isSafeInteger(value)) throw new RangeError(`Protobuf field ${field}: ${value} is not a safe integer.`);
    this.key(field, 0);
    this.varint(value);
    return this;
  }

  /** A float field (32-bit, little-endian fixed32). */
  float(field: number, value: number): this {
    this.key(field, 5);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    for (const byte of bytes) this.push(byte);
    return this;
  }

  /** A string field, UTF-8 encoded. */
  string(field: number, value: string): this {
    return this.bytes(field, utf8(value));
  }

  /** A bytes field. */
  bytes(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.varint(value.length);
    this.flush();
    this.chunks.push(value);
    this.size += value.length;
    return this;
  }

  /** A nested message field. */
  message(field: number, message: ProtoWriter): this {
    return this.bytes(field, message.finish());
  }

  /** The encoded message. */
  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  private key(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  private varint(value: number): void {
    if (value < 0) {
      // Two's complement over 64 bits, seven bits at a time: always ten bytes.
      let v = BigInt.asUintN(64, BigInt(value));
      for (let i = 0; i < 10; i++) {
        const byte = Number(v & 0x7fn);
        v >>= 7n;
        this.push(v === 0n ? byte : byte | 0x80);
        if (v === 0n) return;
      }
      return;
    }
    // Division, not bit shifts: shifts would truncate to 32 bits.
    let v = value;
    while (v >= 0x80) {
      this.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.push(v);
  }

  private push(byte: number): void {
    this.current.push(byte);
    this.size++;
  }

  private flush(): void {
    if (this.current.length === 0) return;
    this.chunks.push(Uint8Array.from(this.current));
    this.current = [];
  }
}

/**
 * UTF-8 bytes of a string. TextEncoder is not in the engine's library (no DOM, no Node types),
 * and node and edge ids may be any Unicode the user typed.
 */
export function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    let code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd; // a lone surrogate has no UTF-8 form
    if (code < 0x80) out.push(code);
    else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else out.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return Uint8Array.from(out);
}

/** Little-endian bytes of numbers as float32 or float64, as ONNX's raw_data stores them. */
export function littleEndian(values: ArrayLike<number>, precision: 'float32' | 'float64'): Uint8Array {
  const width = precision === 'float32' ? 4 : 8;
  const out = new Uint8Array(values.length * width);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    if (precision === 'float32') view.setFloat32(i * 4, values[i], true);
    else view.setFloat64(i * 8, values[i], true);
  }
  return out;
}
