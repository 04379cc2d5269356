import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, jobLog, lazyLogger, requestLog, routeOf } from "./log.server";

/** A logger writing into an array of parsed JSON lines, exactly what production prints. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger({ level: "info", destination }), lines };
}

describe("the one logger", () => {
  it("redacts secrets and personal data at the top level and one level down", () => {
    const { log, lines } = capture();
    log.info(
      {
        ticketNumber: "1000000001",
        token: "tok_live_abc",
        password: "hunter2hunter2",
        authorization: "Bearer xyz",
        email: "taro@example.jp",
        phone: "090-1234-5678",
        name: "山田 太郎",
        reservationId: "r-1",
        resident: { ticketNumber: "1000000002", contactEmail: "hanako@example.jp", birthDate: "1960-01-01" },
        headers: { cookie: "__session=abc" },
        channel: { channelAccessToken: "cat", channelSecret: "cs" },
      },
      "booked",
    );
    const line = lines[0]!;
    for (const key of ["ticketNumber", "token", "password", "authorization", "email", "phone", "name"]) {
      expect(line[key]).toBe("[Redacted]");
    }
    expect(line.resident).toEqual({
      ticketNumber: "[Redacted]",
      contactEmail: "[Redacted]",
      birthDate: "[Redacted]",
    });
    expect(line.headers).toEqual({ cookie: "[Redacted]" });
    expect(line.channel).toEqual({ channelAccessToken: "[Redacted]", channelSecret: "[Redacted]" });
    expect(line.reservationId).toBe("r-1");
    expect(line.msg).toBe("booked");
    expect(JSON.stringify(lines)).not.toMatch(/1000000001|tok_live_abc|hunter2|taro@|090-1234|山田/);
  });

  it("gives each job a child with its id, queue, name, attempt and tenant", () => {
    const { log, lines } = capture();
    const job = { id: "42", name: "send-reminder", queueName: "reminders", attemptsMade: 1, data: { tenantId: "t-1" } };
    jobLog(log, job).info("job started");
    expect(lines[0]).toMatchObject({
      jobId: "42",
      queue: "reminders",
      job: "send-reminder",
      attempt: 2,
      tenantId: "t-1",
    });
  });

  it("gives each request a child with a request id and a route without ids or codes", () => {
    const child = requestLog(
      new Request("http://localhost/c/kinokawa-demo/reserve/done/AB12CD", { headers: { "x-request-id": "req-1" } }),
      { tenantId: "t-1" },
    );
    expect(child.bindings()).toMatchObject({
      reqId: "req-1",
      route: "/c/kinokawa-demo/reserve/done/:id",
      tenantId: "t-1",
    });
    expect(
      requestLog(new Request("http://localhost/", { headers: { "x-request-id": "bad id\n" } })).bindings().reqId,
    ).toMatch(/^[0-9a-f-]{36}$/);
    expect(routeOf("http://x/c/a/admin/slots/0b8f-uuid")).toBe("/c/a/admin/slots/:id");
  });

  it("a lazy logger is made on first use only, and its children stay lazy until they log", () => {
    const { log, lines } = capture();
    let made = 0;
    const lazy = lazyLogger(() => (made++, log.child({ reqId: "r-1" })));
    const child = lazy.child({ tenantId: "t-1" });
    expect(made).toBe(0);
    child.warn({ status: 503 }, "database unavailable");
    expect(made).toBe(1);
    lazy.info("second line");
    expect(made).toBe(1);
    expect(lines).toMatchObject([
      { reqId: "r-1", tenantId: "t-1", status: 503, msg: "database unavailable" },
      { reqId: "r-1", msg: "second line" },
    ]);
  });
});
