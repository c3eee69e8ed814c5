import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createClassifier, ExceptionInput, type Classification, type Classifier } from '../../lib/ai';
import { UsageError } from '../usage';
import type { Command } from './index';

/** LLM calls in flight at once; answers are still written in input order. */
const llmConcurrency = 4;

export const classifyCommand: Command = {
  summary: 'Classify exceptions read as JSON Lines on stdin',
  description: `Reads one exception per line on stdin, {"id","source","operation","error","http_status"?,"attempts"?},
and writes one line per exception on stdout: {"id","category","action","confidence","engine"}.
A line that is not JSON or not an exception gets {"line":N,"error":"line N: ..."} instead, and the
rest are still classified. Blank lines are skipped. Exit code 0 when every line was classified,
1 when any line was bad. The engine is the LLM when OPENAI_BASE_URL or OPENAI_API_KEY is set
(falling back to offline per exception), otherwise offline.`,
  options: {
    engine: { type: 'string', description: 'offline or llm (default: llm when configured, else offline)' },
  },
  async run({ config, flags }) {
    const engine = flags.engine as string | undefined;
    if (engine !== undefined && engine !== 'offline' && engine !== 'llm') throw new UsageError(`crossdock classify: --engine must be offline or llm, not "${engine}"`);
    if (engine === 'llm' && !config.llm.enabled)
      throw new UsageError('crossdock classify: --engine llm needs an LLM endpoint', 'Set OPENAI_BASE_URL (any OpenAI-compatible server) and/or OPENAI_API_KEY, or use --engine offline.');
    const classifier = createClassifier(config.llm, { engine });
    return classifyStream(classifier, process.stdin, process.stdout);
  },
};

/**
 * Classifies a JSON Lines stream. Reads line by line and waits for stdout to drain, so memory
 * stays flat however long the input; with the LLM, a few calls overlap and output keeps input order.
 */
export async function classifyStream(classifier: Classifier, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<number> {
  // Decoded here, not by readline: it drops an unfinished UTF-8 character at the very end, so a
  // last line cut off mid-character would vanish instead of being answered.
  const lines = createInterface({ input: Readable.from(utf8(input)), crlfDelay: Infinity });
  const window = classifier.engine === 'llm' ? llmConcurrency : 1;
  const pending: Promise<string>[] = [];
  let bad = 0;
  let number = 0;

  const write = async (text: string) => {
    if (!output.write(`${text}\n`)) await once(output, 'drain');
  };
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    const parsed = parseLine(line, number);
    if ('error' in parsed) {
      bad++;
      pending.push(Promise.resolve(JSON.stringify(parsed)));
    } else pending.push(classifier.classify(parsed.input).then((c) => JSON.stringify(summary(parsed.input.id, c))));
    while (pending.length >= window) await write(await pending.shift()!);
  }
  while (pending.length) await write(await pending.shift()!);
  return bad ? 1 : 0;
}

/** The input as text, pulled as it is read; a character cut off at the end becomes U+FFFD, as one anywhere else does. */
async function* utf8(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of input) yield typeof chunk === 'string' ? chunk : decoder.write(chunk);
  const rest = decoder.end();
  if (rest) yield rest;
}

function summary(id: string, c: Classification) {
  return { id, category: c.category, action: c.action, confidence: Math.round(c.confidence * 100) / 100, engine: c.engine };
}

function parseLine(line: string, number: number): { input: ExceptionInput } | { line: number; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { line: number, error: `line ${number}: not JSON (${(error as Error).message})` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { line: number, error: `line ${number}: expected a JSON object` };
  const result = ExceptionInput.safeParse(json);
  if (result.success) return { input: result.data };
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unknown ${issue.keys.length > 1 ? 'keys' : 'key'} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${issue.path.join('.')}: ${issue.message}`;
  });
  return { line: number, error: `line ${number}: ${problems.join('; ')}` };
}
