/** The wallet router (docs/API.md "wallet"): an organizer's Apple Wallet signing set-up. */
import { removeWalletConfig, saveWalletConfig, walletConfigOf } from "@boxoffice/db";
import { walletSetInput } from "../schemas/wallet.ts";
import { createTRPCRouter, organizerRoleProcedure } from "../trpc.ts";
import { certificateSummary, checkWalletMaterial } from "../wallet.ts";

const notConfigured = { configured: false as const };

/** What the organizer sees of a stored set-up: never the key. */
function configuredDto(c: {
  passTypeIdentifier: string;
  teamIdentifier: string;
  signerCert: string;
}) {
  return {
    configured: true as const,
    passTypeIdentifier: c.passTypeIdentifier,
    teamIdentifier: c.teamIdentifier,
    ...certificateSummary(c.signerCert),
  };
}

export const walletRouter = createTRPCRouter({
  get: organizerRoleProcedure.query(({ ctx }) => {
    const config = walletConfigOf(ctx.db, ctx.user.id);
    return config ? configuredDto(config) : notConfigured;
  }),

  set: organizerRoleProcedure.input(walletSetInput).mutation(async ({ ctx, input }) => {
    await checkWalletMaterial(input);
    saveWalletConfig(ctx.db, {
      organizerId: ctx.user.id,
      passTypeIdentifier: input.passTypeIdentifier,
      teamIdentifier: input.teamIdentifier,
      signerCert: input.signerCert,
      signerKey: input.signerKey,
      signerKeyPassphrase: input.signerKeyPassphrase || null,
      wwdr: input.wwdr,
      updatedAt: ctx.clock.now(),
    });
    return configuredDto(input);
  }),

  remove: organizerRoleProcedure.mutation(({ ctx }) => {
    removeWalletConfig(ctx.db, ctx.user.id);
    return notConfigured;
  }),
});
