// A minimal protobuf wire-format reader for the OTLP hot path (see protobuf-spans.ts for why).

/** The body is not valid protobuf. */
export class ProtobufError extends Error {}

/** Protobuf wire types. */
export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const I32 = 5;

/** A cursor over protobuf bytes with the few primitives OTLP needs; every read is bounds-checked. */
export class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  more(end: number): boolean {
    return this.pos < end;
  }

  varint(): number {
    // Lengths, tags and enums fit in 32 bits; larger varints (int64 values) use varint64().
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.buf.length) throw new ProtobufError('truncated varint');
      const byte = this.buf[this.pos++];
      if (shift < 28) result |= (byte & 0x7f) << shift;
      else result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
      shift += 7;
      if (shift > 63) throw new ProtobufError('varint too long');
    }
  }

  varint64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new ProtobufError('truncated varint');
      const byte = this.buf[this.pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asIntN(64, result);
      shift += 7n;
      if (shift > 63n) throw new ProtobufError('varint too long');
    }
  }

  tag(): [number, number] {
    const key = this.varint();
    return [key >>> 3, key & 7];
  }

  lengthEnd(): number {
    const length = this.varint();
    const end = this.pos + length;
    if (end > this.buf.length) throw new ProtobufError('length exceeds message');
    return end;
  }

  fixed64(): [hi: number, lo: number] {
    if (this.pos + 8 > this.buf.length) throw new ProtobufError('truncated fixed64');
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    return [hi, lo];
  }

  string(): string {
    const end = this.lengthEnd();
    const value = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return value;
  }

  /** Bytes as lowercase hex ('' when empty). */
  hex(): string {
    const end = this.lengthEnd();
    const value = this.buf.toString('hex', this.pos, end);
    this.pos = end;
    return value;
  }

  skip(wire: number) {
    if (wire === VARINT) this.varint64();
    else if (wire === I64) this.pos += 8;
    else if (wire === LEN) this.pos = this.lengthEnd();
    else if (wire === I32) this.pos += 4;
    else throw new ProtobufError(`unsupported wire type ${wire}`);
    if (this.pos > this.buf.length) throw new ProtobufError('truncated field');
  }
}
