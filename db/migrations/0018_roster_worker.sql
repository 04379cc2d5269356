ALTER TYPE "public"."roster_import_status" ADD VALUE 'queued' BEFORE 'running';--> statement-breakpoint
CREATE TABLE "roster_upload_chunks" (
	"tenant_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "roster_upload_chunks_tenant_id_import_id_seq_pk" PRIMARY KEY("tenant_id","import_id","seq")
);
--> statement-breakpoint
ALTER TABLE "roster_upload_chunks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "roster_imports" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "roster_upload_chunks" ADD CONSTRAINT "roster_upload_chunks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roster_upload_chunks" ADD CONSTRAINT "roster_upload_chunks_import_fk" FOREIGN KEY ("tenant_id","import_id") REFERENCES "public"."roster_imports"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "roster_upload_chunks_tenant_isolation" ON "roster_upload_chunks" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);