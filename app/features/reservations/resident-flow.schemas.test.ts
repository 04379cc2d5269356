import { describe, expect, it } from "vitest";
import { composeBirthDate, contactSchema, identitySchema, normalisePhone, uuidParam } from "./resident-flow.schemas";

describe("identitySchema", () => {
  const base = { birthYear: "1960", birthMonth: "1", birthDay: "1" };

  it("accepts full-width digits and hyphens in the ticket number and builds the birth date", () => {
    const r = identitySchema.safeParse({ ...base, ticketNumber: "１２３４５－６７８９０" });
    expect(r.success && r.data).toEqual({
      ticketNumber: "1234567890",
      birthDate: "1960-01-01",
      serviceId: undefined,
      channel: "web",
      family: false,
    });
  });

  it("「家族の代わりに予約する」 marks the flow as a family proxy", () => {
    expect(identitySchema.parse({ ...base, ticketNumber: "1234567890", who: "family" }).family).toBe(true);
    expect(identitySchema.parse({ ...base, ticketNumber: "1234567890", who: "someone" }).family).toBe(false);
  });

  it("remembers the LINE channel and nothing else", () => {
    expect(identitySchema.parse({ ...base, ticketNumber: "1234567890", channel: "line" }).channel).toBe("line");
    expect(identitySchema.parse({ ...base, ticketNumber: "1234567890", channel: "phone" }).channel).toBe("web");
  });

  it("refuses a ticket number that is not 10 digits, with a Japanese message on the field", () => {
    const r = identitySchema.safeParse({ ...base, ticketNumber: "12345" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["ticketNumber"]);
    expect(r.error?.issues[0]?.message).toContain("10桁");
  });

  it("refuses a day that does not exist (31 February) and missing selects", () => {
    const r = identitySchema.safeParse({
      ticketNumber: "1234567890",
      birthYear: "1960",
      birthMonth: "2",
      birthDay: "31",
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["birthDay"]);
    const missing = identitySchema.safeParse({
      ticketNumber: "1234567890",
      birthYear: "",
      birthMonth: "2",
      birthDay: "3",
    });
    expect(missing.error?.issues[0]?.path).toEqual(["birthYear"]);
  });
});

describe("composeBirthDate", () => {
  it("knows leap years", () => {
    expect(composeBirthDate(1980, 2, 29)).toBe("1980-02-29");
    expect(composeBirthDate(1981, 2, 29)).toBeNull();
  });
});

describe("contactSchema", () => {
  it("normalises a full-width phone number and lower-cases the e-mail", () => {
    const r = contactSchema.parse({
      name: "　山田　花子 ",
      phone: "０９０－１２３４－５６７８",
      email: "Hanako@Example.JP",
    });
    expect(r).toEqual({ name: "山田 花子", phone: "09012345678", email: "hanako@example.jp" });
  });

  it("accepts a landline (10 digits) without an e-mail, and an e-mail without a phone", () => {
    expect(contactSchema.safeParse({ name: "山田", phone: "073-123-4567", email: "" }).success).toBe(true);
    expect(contactSchema.safeParse({ name: "山田", phone: "", email: "a@example.jp" }).success).toBe(true);
  });

  it("requires a name and at least one way to reach the resident", () => {
    const r = contactSchema.safeParse({ name: " ", phone: "", email: "" });
    const paths = r.error?.issues.map((i) => i.path[0]);
    expect(paths).toContain("name");
    expect(contactSchema.safeParse({ name: "山田", phone: "", email: "" }).error?.issues[0]?.path).toEqual(["phone"]);
  });

  it("refuses malformed numbers and addresses", () => {
    expect(contactSchema.safeParse({ name: "山田", phone: "12345", email: "" }).success).toBe(false);
    expect(contactSchema.safeParse({ name: "山田", phone: "090123456789", email: "" }).success).toBe(false);
    expect(contactSchema.safeParse({ name: "山田", phone: "", email: "not-an-address" }).success).toBe(false);
  });

  it("normalisePhone strips brackets and spaces", () => {
    expect(normalisePhone("(073) 123 4567")).toBe("0731234567");
  });
});

describe("helpers", () => {
  it("uuidParam passes only uuids", () => {
    expect(uuidParam("3f2504e0-4f89-41d3-9a0c-0305e82c3301")).toBe("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    expect(uuidParam("1 or 1=1")).toBeNull();
    expect(uuidParam(null)).toBeNull();
  });
});
