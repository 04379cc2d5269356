import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMailer, type Mailer } from "~/integrations/mail.server";
import { parseMessage } from "./mime";
import { clearMailbox, readMailbox, startSmtpCapture, waitForMail } from "./smtp-capture";

const INVITE_URL = "http://localhost:3000/c/kakuu/admin/invite/Zx9_ab-CD3fGh";

let dir: string;
let capture: Awaited<ReturnType<typeof startSmtpCapture>>;
let mailer: Mailer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "smtp-capture-"));
  capture = await startSmtpCapture({ port: 0, dir });
  mailer = createMailer(`smtp://127.0.0.1:${capture.port}`, "窓口 Madoguchi <no-reply@madoguchi.example>");
});

afterAll(async () => {
  mailer?.close();
  await capture?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await clearMailbox(dir);
});

describe("SMTP capture", () => {
  it("binds a real port when asked for port 0", () => {
    expect(capture.port).toBeGreaterThan(0);
  });

  it("stores a Japanese multipart mail sent by the app's mailer, decoded", async () => {
    const { messageId } = await mailer.send({
      to: "staff@kakuu.example",
      subject: "【架空市】窓口 管理画面への招待",
      text: `架空市の窓口 管理画面に招待されました。\n次のURLを開いてください。\n${INVITE_URL}\n`,
      html: `<p>架空市の窓口 管理画面に招待されました。</p><p><a href="${INVITE_URL}">招待を受ける</a></p>`,
    });
    expect(messageId).toMatch(/^<.+@.+>$/);

    const mails = await readMailbox(dir);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.subject).toBe("【架空市】窓口 管理画面への招待");
    expect(mail!.from).toBe("窓口 Madoguchi <no-reply@madoguchi.example>");
    expect(mail!.to).toEqual(["staff@kakuu.example"]);
    expect(mail!.text).toContain(INVITE_URL);
    expect(mail!.text).toContain("架空市の窓口 管理画面に招待されました。");
    expect(mail!.html).toContain(`<a href="${INVITE_URL}">招待を受ける</a>`);
    expect(Date.parse(mail!.receivedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(mail!.date).not.toBeNull();
  });

  it("lists mails newest first", async () => {
    await mailer.send({ to: "a@kakuu.example", subject: "1通目", text: "first" });
    await mailer.send({ to: "b@kakuu.example", subject: "2通目", text: "second" });
    const mails = await readMailbox(dir);
    expect(mails.map((m) => m.subject)).toEqual(["2通目", "1通目"]);
    expect(mails[0]!.id > mails[1]!.id).toBe(true);
  });

  it("clearMailbox empties the mailbox", async () => {
    await mailer.send({ to: "a@kakuu.example", subject: "消える", text: "x" });
    expect(await readMailbox(dir)).toHaveLength(1);
    await clearMailbox(dir);
    expect(await readMailbox(dir)).toEqual([]);
    // Nothing half-written is left behind either.
    expect((await readdir(dir)).filter((n) => !n.startsWith("."))).toEqual([]);
  });

  it("decodes both base64 and quoted-printable bodies, with Cc and Bcc in `to`", async () => {
    const tx = nodemailer.createTransport({ host: "127.0.0.1", port: capture.port, secure: false, ignoreTLS: true });
    try {
      for (const textEncoding of ["base64", "quoted-printable"] as const) {
        await tx.sendMail({
          from: "no-reply@madoguchi.example",
          to: "山田 花子 <hanako@kakuu.example>",
          cc: "cc@kakuu.example",
          bcc: "bcc@kakuu.example",
          subject: `${textEncoding} とても長い件名：${"予約の確認と変更のお知らせ".repeat(6)}`,
          text: `本文です。 ${INVITE_URL}\n${"あ".repeat(200)}`,
          html: `<p>本文です。=</p>`,
          textEncoding,
        });
      }
    } finally {
      tx.close();
    }
    const mails = await readMailbox(dir);
    expect(mails).toHaveLength(2);
    for (const mail of mails) {
      expect(mail.subject).toMatch(
        new RegExp(`^(base64|quoted-printable) とても長い件名：(予約の確認と変更のお知らせ){6}$`),
      );
      expect(mail.to).toEqual(["hanako@kakuu.example", "cc@kakuu.example", "bcc@kakuu.example"]);
      expect(mail.text).toBe(`本文です。 ${INVITE_URL}\n${"あ".repeat(200)}`);
      expect(mail.html).toBe("<p>本文です。=</p>");
    }
  });

  it("accepts mail from a client that authenticates (credentials in SMTP_URL)", async () => {
    const withAuth = createMailer(`smtp://user:p%40ss@127.0.0.1:${capture.port}`, "no-reply@madoguchi.example");
    try {
      await withAuth.send({ to: "auth@kakuu.example", subject: "認証あり", text: "x" });
    } finally {
      withAuth.close();
    }
    expect((await readMailbox(dir))[0]!.subject).toBe("認証あり");
  });

  it("waitForMail finds a mail that arrives later", async () => {
    const since = new Date();
    const waiting = waitForMail(dir, (m) => m.to.includes("late@kakuu.example"), { timeoutMs: 5000, since });
    setTimeout(() => void mailer.send({ to: "late@kakuu.example", subject: "遅れて届く", text: "x" }), 200);
    expect((await waiting).subject).toBe("遅れて届く");
  });

  it("closes promptly even while the pooled client still holds a connection", async () => {
    const extraDir = await mkdtemp(join(tmpdir(), "smtp-capture-"));
    const server = await startSmtpCapture({ port: 0, dir: extraDir });
    const pooled = createMailer(`smtp://localhost:${server.port}`, "no-reply@madoguchi.example");
    try {
      await pooled.send({ to: "a@kakuu.example", subject: "s", text: "t" });
      const started = Date.now();
      await server.close();
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      pooled.close();
      await rm(extraDir, { recursive: true, force: true });
    }
  });
});

describe("parseMessage (mail from other senders)", () => {
  it("joins encoded-words that split a multi-byte character, and decodes Q and other charsets", () => {
    const bytes = Buffer.from("招待", "utf8"); // 6 bytes; split inside the first character
    const raw = [
      `Subject: =?UTF-8?B?${bytes.subarray(0, 2).toString("base64")}?=`,
      ` =?UTF-8?B?${bytes.subarray(2).toString("base64")}?= =?ISO-8859-1?Q?caf=E9_au_lait?=`,
      "From: =?ISO-2022-JP?B?GyRCO1RMMTJdGyhC?= <city@kakuu.example>",
      'To: a@kakuu.example, "Doe, John" <john@kakuu.example>',
      "Content-Type: text/plain; charset=ISO-8859-1",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      "caf=E9 =",
      "suite",
      "",
    ].join("\r\n");
    const parsed = parseMessage(Buffer.from(raw, "latin1"));
    expect(parsed.subject).toBe("招待café au lait");
    expect(parsed.from).toBe("市民課 <city@kakuu.example>");
    expect(parsed.to).toEqual(["a@kakuu.example", "john@kakuu.example"]);
    expect(parsed.text).toBe("café suite\n");
    expect(parsed.html).toBeNull();
  });

  it("finds text and html inside multipart/mixed with an attachment", () => {
    const raw = [
      "Subject: plain subject",
      'Content-Type: multipart/mixed; boundary="outer"',
      "",
      "preamble",
      "--outer",
      "Content-Type: multipart/alternative; boundary=inner",
      "",
      "--inner",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from("テキスト").toString("base64"),
      "--inner",
      "Content-Type: text/html; charset=utf-8",
      "",
      "<p>HTML</p>",
      "--inner--",
      "--outer",
      "Content-Type: text/plain",
      "Content-Disposition: attachment; filename=a.txt",
      "",
      "not the body",
      "--outer--",
      "",
    ].join("\r\n");
    const parsed = parseMessage(Buffer.from(raw, "utf8"));
    expect(parsed.subject).toBe("plain subject");
    expect(parsed.text).toBe("テキスト");
    expect(parsed.html).toBe("<p>HTML</p>");
  });
});
