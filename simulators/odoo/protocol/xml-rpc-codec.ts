import { XMLParser } from 'fast-xml-parser';
import { OdooException, typeError, valueError } from '../errors';
import { newDict, setKey } from './wire-values';

/**
 * XML-RPC (http://xmlrpc.com/spec.md) as Python's `xmlrpc.client` reads and writes it: the
 * request parsed into JSON-like values, the response and faults written with `<int>`,
 * `<double>`, `<boolean>`, `<string>`, `<array>` and `<struct>`. Odoo marshals with
 * `allow_none=False`, so a None result cannot be sent (see `encodeResponse`).
 */

type XmlNode = Record<string, unknown> & { '#text'?: unknown };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
});

const tagOf = (node: XmlNode) => Object.keys(node).find((k) => k !== ':@')!;
const childrenOf = (node: XmlNode): XmlNode[] => (node[tagOf(node)] as XmlNode[]) ?? [];
const elements = (nodes: XmlNode[]) => nodes.filter((n) => tagOf(n) !== '#text');
const textOf = (nodes: XmlNode[]) => nodes.filter((n) => tagOf(n) === '#text').map((n) => String(n['#text'])).join('');

/**
 * A body that is not an XML-RPC method call, named as Python's `xmlrpc.client.loads` fails on it:
 * `ExpatError` for text that is not XML, `ResponseError` for XML that is not a call.
 */
export class XmlRpcParseError extends OdooException {
  constructor(message: string, pythonName: 'xml.parsers.expat.ExpatError' | 'xmlrpc.client.ResponseError' = 'xmlrpc.client.ResponseError') {
    super(pythonName, message);
  }
}

/** Parses `<methodCall>` into the method name and positional params. */
export function decodeCall(xml: string): { method: string; params: unknown[] } {
  let doc: XmlNode[];
  try {
    doc = parser.parse(xml) as XmlNode[];
  } catch (error) {
    throw new XmlRpcParseError(`not well-formed XML: ${(error as Error).message}`, 'xml.parsers.expat.ExpatError');
  }
  const call = elements(doc).find((n) => tagOf(n) === 'methodCall');
  if (!call) throw new XmlRpcParseError('no <methodCall> element');
  const parts = elements(childrenOf(call));
  const nameNode = parts.find((n) => tagOf(n) === 'methodName');
  if (!nameNode) throw new XmlRpcParseError('no <methodName> element');
  const paramsNode = parts.find((n) => tagOf(n) === 'params');
  const params = paramsNode ? elements(childrenOf(paramsNode)).map((param) => decodeValue(valueOf(param, '<param>'))) : [];
  return { method: textOf(childrenOf(nameNode)).trim(), params };
}

function valueOf(parent: XmlNode, where: string): XmlNode {
  const value = elements(childrenOf(parent)).find((n) => tagOf(n) === 'value');
  if (!value) throw new XmlRpcParseError(`${where} without a <value>`);
  return value;
}

function decodeValue(valueNode: XmlNode): unknown {
  const inner = childrenOf(valueNode);
  const typed = elements(inner)[0];
  if (!typed) return textOf(inner); // an untyped value is a string
  const tag = tagOf(typed);
  const content = childrenOf(typed);
  switch (tag) {
    case 'int':
    case 'i4':
    case 'i8': {
      // Python's `int(data)`: an optional sign and digits, nothing else.
      const text = textOf(content).trim();
      if (!/^[+-]?\d+$/.test(text)) throw valueError(`invalid literal for int() with base 10: '${text}'`);
      return Number.parseInt(text, 10);
    }
    case 'double': {
      const text = textOf(content).trim();
      const number = Number(text);
      if (text === '' || Number.isNaN(number)) throw valueError(`could not convert string to float: '${text}'`);
      return number;
    }
    case 'boolean': {
      const text = textOf(content).trim();
      if (text !== '0' && text !== '1') throw typeError('bad boolean value');
      return text === '1';
    }
    case 'string':
      return textOf(content);
    case 'nil':
      return null;
    case 'dateTime.iso8601':
      return textOf(content).trim();
    case 'base64':
      return Buffer.from(textOf(content).trim(), 'base64').toString('utf8');
    case 'array': {
      const data = elements(content).find((n) => tagOf(n) === 'data');
      return data ? elements(childrenOf(data)).map(decodeValue) : [];
    }
    case 'struct': {
      const out = newDict();
      for (const member of elements(content)) {
        const parts = elements(childrenOf(member));
        const name = parts.find((n) => tagOf(n) === 'name');
        const value = parts.find((n) => tagOf(n) === 'value');
        if (name && value) setKey(out, textOf(childrenOf(name)), decodeValue(value));
      }
      return out;
    }
    default:
      throw new XmlRpcParseError(`unknown XML-RPC type <${tag}>`);
  }
}

// Characters XML 1.0 cannot carry at all, escaped or not (controls, lone surrogates): a fault that
// echoed one (a base64 value, say) would be a reply no client can parse, so they become U+FFFD.
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const escape = (text: string) => text.replace(notXmlChar, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Thrown when a value cannot be marshalled, with Python's message. */
export class MarshalError extends Error {}

function encodeValue(value: unknown): string {
  if (value === null || value === undefined) throw new MarshalError('cannot marshal None unless allow_none is enabled');
  if (typeof value === 'boolean') return `<value><boolean>${value ? 1 : 0}</boolean></value>`;
  if (typeof value === 'number') {
    if (Number.isInteger(value)) {
      if (value > 2 ** 31 - 1 || value < -(2 ** 31)) throw new MarshalError('int exceeds XML-RPC limits');
      return `<value><int>${value}</int></value>`;
    }
    return `<value><double>${repr(value)}</double></value>`;
  }
  if (typeof value === 'string') return `<value><string>${escape(value)}</string></value>`;
  if (Array.isArray(value)) return `<value><array><data>\n${value.map(encodeValue).join('\n')}\n</data></array></value>`;
  return `<value><struct>\n${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `<member>\n<name>${escape(k)}</name>\n${encodeValue(v)}\n</member>`)
    .join('\n')}\n</struct></value>`;
}

// Python's float repr always shows a decimal point.
const repr = (n: number) => (Number.isInteger(n) ? `${n}.0` : String(n));

/** `xmlrpc.client.dumps((result,), methodresponse=1)`. */
export function encodeResponse(result: unknown): string {
  return `<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n${encodeValue(result)}\n</param>\n</params>\n</methodResponse>\n`;
}

/** `xmlrpc.client.dumps(Fault(code, string))`. */
export function encodeFault(faultCode: number | string, faultString: string): string {
  return `<?xml version='1.0'?>\n<methodResponse>\n<fault>\n${encodeValue({ faultCode, faultString })}\n</fault>\n</methodResponse>\n`;
}
