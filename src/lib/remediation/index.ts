export { ProposalBook, RemediationError, type ProposeInput } from './proposals';
export { execute } from './executor';
export { EXECUTABLE, ProposalParams, ProposalStatus, Suggestion, Target, type Proposal, type TargetOutcome } from './proposal';
