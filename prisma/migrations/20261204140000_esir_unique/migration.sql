-- At most one signed ESIR verification in force (not unlocked) per resident, so two signing
-- requests at once store one form. Prisma's schema language cannot express a partial index,
-- so this index exists only in SQL; schema.prisma documents it on EsirVerification.

-- A database signed twice before this index keeps each resident's earliest form in force.
-- Encounters locked by a later duplicate move to the kept form, and the duplicate is marked
-- unlocked with no unlocking user, so the index below can be created.
UPDATE "Encounter"
SET "lockedByVerificationId" = (
  SELECT MIN(kept."id") FROM "EsirVerification" kept
  JOIN "EsirVerification" duplicate ON duplicate."residentId" = kept."residentId"
  WHERE duplicate."id" = "Encounter"."lockedByVerificationId" AND kept."unlockedAt" IS NULL
)
WHERE "lockedByVerificationId" IN (
  SELECT "id" FROM "EsirVerification"
  WHERE "unlockedAt" IS NULL
    AND "id" NOT IN (SELECT MIN("id") FROM "EsirVerification" WHERE "unlockedAt" IS NULL GROUP BY "residentId")
);

UPDATE "EsirVerification"
SET "unlockedAt" = CURRENT_TIMESTAMP
WHERE "unlockedAt" IS NULL
  AND "id" NOT IN (SELECT MIN("id") FROM "EsirVerification" WHERE "unlockedAt" IS NULL GROUP BY "residentId");

-- CreateIndex
CREATE UNIQUE INDEX "EsirVerification_residentId_in_force_key" ON "EsirVerification"("residentId") WHERE "unlockedAt" IS NULL;
