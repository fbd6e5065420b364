/**
 * The on-sale room (docs/API.md "room"). STUB: the contract's shapes; the engine fills them in.
 */
import type { RoomStatsDto, RoomStatusDto } from "../dto/room.ts";
import { enterRoomInput, roomEventInput, roomPositionInput } from "../schemas/room.ts";
import { createTRPCRouter, eventOrganizerProcedure, publicProcedure } from "../trpc.ts";

interface ChallengeDto {
  readonly parameters: {
    readonly algorithm: string;
    readonly nonce: string;
    readonly salt: string;
    readonly cost: number;
    readonly keyLength: number;
    readonly keyPrefix: string;
    readonly keySignature?: string;
    readonly expiresAt?: number;
    readonly data?: Record<string, string | number | boolean | null>;
  };
  readonly signature?: string;
}

const notYet = (): never => {
  throw new Error("room: not implemented");
};

export const roomRouter = createTRPCRouter({
  challenge: publicProcedure.input(roomEventInput).query((): ChallengeDto => notYet()),
  enter: publicProcedure.input(enterRoomInput).mutation((): RoomStatusDto => notYet()),
  position: publicProcedure.input(roomPositionInput).query((): RoomStatusDto => notYet()),
  status: publicProcedure.input(roomPositionInput).subscription(async function* (): AsyncGenerator<
    RoomStatusDto,
    void,
    unknown
  > {
    notYet();
  }),
  stats: eventOrganizerProcedure
    .input(roomEventInput)
    .subscription(async function* (): AsyncGenerator<RoomStatsDto, void, unknown> {
      notYet();
    }),
});
