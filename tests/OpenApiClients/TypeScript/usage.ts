// Compiled with `tsc --strict --noEmit` next to schema.d.ts, which openapi-typescript generates from the served
// OpenAPI document (OpenApiGeneratorTests): the types a TypeScript user would write against must say what the API does.
import type { components, paths } from "./schema";

type Schemas = components["schemas"];

export function describeVm(vm: Schemas["Vm"]): string {
  const created: string | null = vm.created_at;
  return `${vm.id} ${vm.name} ${vm.status} since ${created ?? "not yet"} in ${vm.region?.slug ?? "no region"}`;
}

export function createdVms(answer: Schemas["VmCreateAnswer"]): Schemas["Vm"][] {
  return answer.vm !== undefined ? [answer.vm] : answer.vms ?? [];
}

export function actionTimes(action: Schemas["VmAction"]): [string | null, string | null] {
  return [action.started_at, action.completed_at];
}

export function tokenExpiry(token: Schemas["Token"]): string | null {
  return token.expires_at;
}

export function srvPort(record: Schemas["DomainRecord"]): number | null {
  return record.port;
}

export const powerOff: Schemas["VmActionRequest"] = { type: "power_off" };
export const resize: Schemas["VmActionRequest"] = { type: "resize", size: "s-2vcpu-2gb", disk: true };

type ListRecords = paths["/domains/{domain_name}/records"]["get"];
export const recordsPath: ListRecords["parameters"]["path"] = { domain_name: "example.com" };
export const recordsQuery: NonNullable<ListRecords["parameters"]["query"]> = { name: "www", type: "A" };
export type RecordsPage = ListRecords["responses"][200]["content"]["application/json"];

export function errorField(error: Schemas["Error"]): string | undefined {
  return error.errors?.[0]?.field;
}
