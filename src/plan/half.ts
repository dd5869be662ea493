/**
 * The one shape of a half of `plan` and `apply` (§13): Cognito (src/aws/half.ts, planCognitoHalf) and
 * Creatio (src/creatio/half.ts, planCreatioHalf) each read and judge their side and return a PlannedHalf —
 * §9's H with its findings and, when there are changes to make, an `apply` that makes them and reads
 * again. plan.ts and apply.ts only order, print and judge what these return.
 */
import type { ApplyOptions, PlanOptions } from '../cli/program.js';
import type { Context } from '../cli/context.js';
import type { PlanItem } from '../core/cognito/plan.js';
import type { ResourceIds } from '../core/report/plan-view.js';
import type { ResolvedConfig } from '../core/config/checks.js';
import type { Finding } from '../core/findings.js';
import type { CreatedClient } from '../aws/apply.js';
import type { CreatioHalfInput } from '../creatio/input.js';
import type { FileSettings } from '../settings/resolve.js';
import type { InputFlags } from '../settings/inputs.js';

/** How a half went, and its items; `ids` say which resource each is (§9's H is `viewOf` this). */
export type Half = { status: 'checked' | 'skipped' | 'stopped'; reason?: string; items: PlanItem[]; ids?: ResourceIds };

/** A half read and judged: what `plan` prints, and what `apply` makes of it. */
export interface PlannedHalf {
  half: Half;
  findings: Finding[];
  /** Items that would change something (add/change); skipped halves and manual steps count none. */
  pending: number;
  /** Lines for the user once the half is read (never a secret): printed by the command, after its spinner. */
  notes?: string[];
  /** Makes the changes, then reads the side again. Present only when `pending` > 0. */
  apply?: (
    progress: (message: string) => void,
    prior?: { createdClient?: CreatedClient; onApplied?: (item: PlanItem) => void },
  ) => Promise<AppliedHalf>;
}

/** A half after `apply`: the items marked `applied`, and the findings of reading it again (or the failure). */
export interface AppliedHalf {
  half: Half;
  ok: boolean;
  findings: Finding[];
  /** `apply --create-client`: the new client (its secret is not enumerable, so JSON never shows it). */
  createdClient?: CreatedClient;
  /** Lines for the user (never a secret): printed by the command once its spinner is cleared. */
  notes?: string[];
  /** The provider code the config must name from now on (a record inserted or adopted without one): apply writes it. */
  configCode?: string;
}

type SharedOptions = Pick<PlanOptions & ApplyOptions, 'createClient' | 'writeSecret' | 'creatioPasswordStdin'> & InputFlags;

/** What every half reads: the options, the resolved settings and the checked config, the context. */
export interface HalfContext {
  opts: SharedOptions;
  settings: FileSettings;
  resolved: ResolvedConfig;
  /** cognito.clientId as configured; absent with `--create-client` and no client in the file. */
  clientId?: string;
  /** The configured client secret, when it resolved without errors. */
  clientSecret?: string;
  /** The Creatio half's input, resolved once (its credentials decide whether the half can run). */
  creatio?: CreatioHalfInput;
  ctx: Context;
}
