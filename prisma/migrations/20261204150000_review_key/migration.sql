-- AlterTable
ALTER TABLE "Review" ADD COLUMN "submissionKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Review_submissionKey_key" ON "Review"("submissionKey");
