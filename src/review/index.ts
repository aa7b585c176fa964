// The change review: what a change to gateways and routes does, and what in it would break live traffic.
export { reviewChange } from './review';
export { formatReviewText, formatReviewMarkdown, formatReviewJson } from './format';
export type { ChangeReview, ChangeKind, Disruption, DisruptionRule, ReviewChange, ReviewOptions, WeightShift } from './model';
