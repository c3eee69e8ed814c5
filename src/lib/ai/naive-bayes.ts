import { ExceptionCategory } from '../integration/taxonomy';

const categories = ExceptionCategory.options;

/**
 * Multinomial naive Bayes over normalised tokens, with uniform priors (how often a category
 * happened to appear among the examples says nothing about the next exception) and additive
 * smoothing. Training is incremental, so an operator's correction counts from the next call.
 */
export class NaiveBayes {
  readonly #counts = new Map<ExceptionCategory, Map<string, number>>();
  readonly #totals = new Map<ExceptionCategory, number>();
  readonly #vocabulary = new Set<string>();

  constructor(private readonly smoothing = 0.3) {
    for (const c of categories) {
      this.#counts.set(c, new Map());
      this.#totals.set(c, 0);
    }
  }

  /** Adds one example's tokens to `category`, counted `weight` times. */
  add(tokens: readonly string[], category: ExceptionCategory, weight = 1): void {
    const counts = this.#counts.get(category)!;
    for (const token of tokens) {
      counts.set(token, (counts.get(token) ?? 0) + weight);
      this.#vocabulary.add(token);
    }
    this.#totals.set(category, this.#totals.get(category)! + tokens.length * weight);
  }

  /**
   * Per category, the mean log-likelihood of the known tokens: mean rather than sum, so a long
   * stack trace is not more certain than a short message. Tokens never seen in training carry no
   * information and are skipped.
   */
  score(tokens: readonly string[]): Map<ExceptionCategory, number> {
    const known = tokens.filter((t) => this.#vocabulary.has(t));
    const out = new Map<ExceptionCategory, number>();
    for (const c of categories) {
      let sum = 0;
      for (const t of known) sum += this.#logProbability(t, c);
      out.set(c, known.length ? sum / known.length : 0);
    }
    return out;
  }

  /** Up to `limit` of the tokens that most favour `category` over the others: the rationale's words. */
  evidence(tokens: readonly string[], category: ExceptionCategory, limit = 3): string[] {
    const words = [...new Set(tokens)].filter((t) => this.#vocabulary.has(t) && !/__|~$|^src_|^op_|^num$|^ref$|^path$/.test(t));
    return words
      .map((t) => {
        let others = 0;
        for (const o of categories) if (o !== category) others += this.#logProbability(t, o);
        return [t, this.#logProbability(t, category) - others / (categories.length - 1)] as const;
      })
      .filter(([, lift]) => lift > 1)
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([t]) => t);
  }

  #logProbability(token: string, category: ExceptionCategory): number {
    const count = this.#counts.get(category)!.get(token) ?? 0;
    return Math.log((count + this.smoothing) / (this.#totals.get(category)! + this.smoothing * (this.#vocabulary.size || 1)));
  }

  /** How many distinct tokens the model knows (for tests and diagnostics). */
  get vocabularySize(): number {
    return this.#vocabulary.size;
  }
}
