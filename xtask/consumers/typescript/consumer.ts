// A TypeScript client of openapi.yaml, compiled with `tsc --strict --noEmit`
// by `cargo xtask contract` against the types openapi-typescript generates
// (./api.d.ts) and every payload of the repository (./payloads.ts, written
// by the command: the spec's examples and the payload fixtures). It fails
// to compile when the generated types do not describe what the API sends.

import type { components, operations } from "./api";
import { errors, pages } from "./payloads";

type Page = components["schemas"]["ChatroomPage"];
type Chatroom = components["schemas"]["Chatroom"];
type Query = NonNullable<operations["get_ambassador_chatrooms"]["parameters"]["query"]>;

export function firstRoomId(page: Page): number | undefined {
  const room: Chatroom | undefined = page.data[0];
  return room?.id_chatroom;
}

export function nextPage(page: Page): string | null {
  return page.next_page_url;
}

/** The comment of each room's last rating: the rating and its comment may both be null. */
export function ratingComments(page: Page): (string | null)[] {
  return page.data.map((room) => (room.last_rating === null ? null : room.last_rating.comment));
}

/** When each room's dialogue was established (`YYYY-MM-DD HH:MM:SS`), or null. */
export function establishedDialogues(page: Page): (string | null)[] {
  return page.data.map((room) => room.established_dialogue);
}

/** The typed filters of the operation, as a client sends them. */
export const query: Query = {
  sort: "-last_action_date",
  "filter[archived]": false,
  "filter[commented]": "commented",
  "filter[flag]": 1,
  "filter[type_chatroom]": "7",
  "filter[last_action_date_before]": "2024-05-04T09:42:00+00:00",
  page: 2,
  per_page: 50,
};

export const everyPage: number[] = pages.flatMap((page) => page.data.map((room) => room.id_chatroom));
export const everyError: string[] = errors.map((error) => error.message);
