import { type RouteConfig, index, layout, prefix, route } from "@react-router/dev/routes";

// One convention (ADR 0003): routes are listed here explicitly; each module lives flat in
// app/routes/ with a dotted name that mirrors its URL (c.$city.admin.tsx ↔ /c/:city/admin).
export default [
  index("routes/home.tsx"),

  // Resident and city-staff pages of one city. The layout's middleware resolves the tenant once.
  route("c/:city", "routes/c.$city.tsx", [
    index("routes/c.$city._index.tsx"),
    // Resident booking (each step a page, works without JavaScript) and "my reservation".
    route("reserve", "routes/c.$city.reserve.tsx"),
    route("reserve/contact", "routes/c.$city.reserve.contact.tsx"),
    route("reserve/venue", "routes/c.$city.reserve.venue.tsx"),
    route("reserve/slot", "routes/c.$city.reserve.slot.tsx"),
    route("reserve/confirm", "routes/c.$city.reserve.confirm.tsx"),
    // The confirm page's JSON submit (JavaScript on); framework-free, see booking-api.server.ts.
    route("reserve/book", "routes/c.$city.reserve.book.ts"),
    route("reserve/done/:code", "routes/c.$city.reserve.done.$code.tsx"),
    // The booked time as an .ics file for the phone's calendar (ADR 033).
    route("reserve/done/:code/calendar.ics", "routes/c.$city.reserve.done.$code.calendar.ts"),
    route("reservation", "routes/c.$city.reservation.tsx"),
    route("reservation/link", "routes/c.$city.reservation.link.tsx"),
    route("reservation/open/:token", "routes/c.$city.reservation.open.$token.tsx"),
    route("reservation/:id/change", "routes/c.$city.reservation.$id.change.tsx"),
    route("reservation/:id/cancel", "routes/c.$city.reservation.$id.cancel.tsx"),
    // LIFF: the ID-token handshake (resource route) and the LINE friend's 受信設定 page.
    route("liff/session", "routes/c.$city.liff.session.ts"),
    route("line/settings", "routes/c.$city.line.settings.tsx"),
    // Garbage days and sorting (issue 16, 5374 data): areas, one area's calendar + item search, its .ics feed.
    route("garbage", "routes/c.$city.garbage._index.tsx"),
    route("garbage/:area", "routes/c.$city.garbage.$area.tsx"),
    route("garbage/:area/calendar.ics", "routes/c.$city.garbage.$area.calendar.ts"),
    // The city's public よくある質問 (issue 16): search and categories, no JavaScript needed.
    route("faq", "routes/c.$city.faq.tsx"),
    // 道路・公園などの通報 on the web (issue 17): one no-JavaScript form; LINE has the full dialog.
    route("report", "routes/c.$city.report.tsx"),
    // Open311 GeoReport v2 (issue 17): services.json, requests.json, requests/<id>.json; API key per integration.
    route("open311/v2/requests/:id", "routes/c.$city.open311.v2.requests.$id.ts"),
    route("open311/v2/:resource", "routes/c.$city.open311.v2.$resource.ts"),
    // A report's after-photo (issue 17), public for LINE's servers via an unguessable token.
    route("report-photos/:token", "routes/c.$city.report-photos.$token.ts"),
    // Shelters and their live status (issue 18): by area without JavaScript, by distance with it.
    route("shelters", "routes/c.$city.shelters.tsx"),
    // 申請状況の確認 (issue 19): the city's lookups, one lookup's check and e-mail opt-in.
    route("status", "routes/c.$city.status.tsx"),
    route("status/:lookupId", "routes/c.$city.status.$lookupId.tsx"),
    // Broadcast images, public for LINE's servers to fetch.
    route("media/:mediaId", "routes/c.$city.media.$mediaId.ts"),
    route("admin/login", "routes/c.$city.admin.login.tsx"),
    route("admin/login/verify", "routes/c.$city.admin.login.verify.tsx"),
    route("admin/logout", "routes/c.$city.admin.logout.tsx"),
    route("admin/invite/:token", "routes/c.$city.admin.invite.$token.tsx"),
    // パスワードをお忘れの方 (ADR 022): the request and the mail's single-use link, outside the guard.
    route("admin/password/forgot", "routes/c.$city.admin.password.forgot.tsx"),
    route("admin/password/reset/:token", "routes/c.$city.admin.password.reset.$token.tsx"),
    route("admin", "routes/c.$city.admin.tsx", [
      index("routes/c.$city.admin._index.tsx"),
      route("staff", "routes/c.$city.admin.staff.tsx"),
      // Services, venues and slots (admin; operators may view the slots): lists, forms, bulk
      // generation, CSV import, closing a slot or a venue-day.
      route("services", "routes/c.$city.admin.services.tsx"),
      route("services/new", "routes/c.$city.admin.services.new.tsx"),
      route("services/:serviceId", "routes/c.$city.admin.services.$serviceId.tsx"),
      route("venues", "routes/c.$city.admin.venues.tsx"),
      route("venues/new", "routes/c.$city.admin.venues.new.tsx"),
      route("venues/:venueId", "routes/c.$city.admin.venues.$venueId.tsx"),
      route("slots", "routes/c.$city.admin.slots.tsx"),
      route("slots/generate", "routes/c.$city.admin.slots.generate.tsx"),
      route("slots/import", "routes/c.$city.admin.slots.import.tsx"),
      route("slots/close", "routes/c.$city.admin.slots.close.tsx"),
      route("slots/:slotId", "routes/c.$city.admin.slots.$slotId.tsx"),
      // Ticket-holder roster import (admin): upload and past imports, one import's progress and errors.
      route("roster", "routes/c.$city.admin.roster.tsx"),
      route("roster/:importId", "routes/c.$city.admin.roster.$importId.tsx"),
      route("account", "routes/c.$city.admin.account.tsx"),
      // Optional two-factor for city staff: enrolment (QR code, recovery codes).
      route("account/two-factor", "routes/c.$city.admin.account.two-factor.tsx"),
      // Phone bookings by staff and the day at a venue (check-in list, attendance, CSV export).
      route("phone", "routes/c.$city.admin.phone.tsx"),
      route("venue-day", "routes/c.$city.admin.venue-day.tsx"),
      route("venue-day/export", "routes/c.$city.admin.venue-day.export.ts"),
      // Reminders for residents without LINE or e-mail: the printable call list with 電話済み.
      route("reminders", "routes/c.$city.admin.reminders.tsx"),
      // The city's LINE channel (admin): credentials, webhook URL, connection test, friend counts.
      route("line", "routes/c.$city.admin.line.tsx"),
      // The city's rich menus (admin): 6-tile editor, generated image preview, publish, disaster switch.
      route("line/richmenu", "routes/c.$city.admin.line.richmenu.tsx"),
      route("line/richmenu/preview/:kind", "routes/c.$city.admin.line.richmenu.preview.$kind.ts"),
      // The city's plan, billing state, invoices and monthly usage (admin), and the usage as CSV.
      route("billing", "routes/c.$city.admin.billing.tsx"),
      // The city's 問い合わせ窓口 (admin, ADR 031): numbers, hours, web and disaster pages.
      route("contact", "routes/c.$city.admin.contact.tsx"),
      // ごみの日 (issue 16): the 5374 dataset, exceptions and push time; the import with preview.
      route("garbage", "routes/c.$city.admin.garbage.tsx"),
      route("garbage/import", "routes/c.$city.admin.garbage.import.tsx"),
      route("billing/export", "routes/c.$city.admin.billing.export.ts"),
      // Segment broadcasts to LINE friends (admin): list with progress, composer, live count, detail.
      route("broadcasts", "routes/c.$city.admin.broadcasts.tsx"),
      route("broadcasts/new", "routes/c.$city.admin.broadcasts.new.tsx"),
      route("broadcasts/count", "routes/c.$city.admin.broadcasts.count.ts"),
      route("broadcasts/:broadcastId", "routes/c.$city.admin.broadcasts.$broadcastId.tsx"),
      // よくある質問 (issue 16; admin edits, analyst reads): entries, CSV import/export, 未回答.
      route("faq", "routes/c.$city.admin.faq.tsx"),
      route("faq/new", "routes/c.$city.admin.faq.new.tsx"),
      route("faq/unanswered", "routes/c.$city.admin.faq.unanswered.tsx"),
      route("faq/export", "routes/c.$city.admin.faq.export.ts"),
      route("faq/:entryId", "routes/c.$city.admin.faq.$entryId.tsx"),
      // Insights (admin, analyst; issue 20): k-anonymous figures, their CSV and the printable council report.
      route("insights", "routes/c.$city.admin.insights.tsx"),
      route("insights/export", "routes/c.$city.admin.insights.export.ts"),
      route("insights/report", "routes/c.$city.admin.insights.report.tsx"),
      // The city's audit log (admin): filters, paging, CSV; and the reservation ledger CSV.
      route("audit", "routes/c.$city.admin.audit.tsx"),
      route("audit/export", "routes/c.$city.admin.audit.export.ts"),
      route("ledger/export", "routes/c.$city.admin.ledger.export.ts"),
      // 通報 (issue 17; admin/operator triage, analyst reads): list, CSV, settings, one report, its photos.
      route("reports", "routes/c.$city.admin.reports.tsx"),
      route("reports/export", "routes/c.$city.admin.reports.export.ts"),
      route("reports/settings", "routes/c.$city.admin.reports.settings.tsx"),
      route("reports/photos/:photoId", "routes/c.$city.admin.reports.photos.$photoId.ts"),
      route("reports/:reportId", "routes/c.$city.admin.reports.$reportId.tsx"),
      // 避難所と災害モード (issue 18): registry and import, the phone-sized status page, the hand edit
      // ("new" adds one), and 安否確認.
      route("shelters", "routes/c.$city.admin.shelters.tsx"),
      route("shelters/status", "routes/c.$city.admin.shelters.status.tsx"),
      route("shelters/status/:shelterId", "routes/c.$city.admin.shelters.status.$shelterId.tsx"),
      route("shelters/:shelterId", "routes/c.$city.admin.shelters.$shelterId.tsx"),
      route("safety", "routes/c.$city.admin.safety.tsx"),
      // 申請状況の照会 (issue 19; admin creates and imports, analyst reads counts).
      route("status", "routes/c.$city.admin.status.tsx"),
      route("status/new", "routes/c.$city.admin.status.new.tsx"),
      route("status/:lookupId", "routes/c.$city.admin.status.$lookupId.tsx"),
      route("status/:lookupId/edit", "routes/c.$city.admin.status.$lookupId.edit.tsx"),
    ]),
  ]),

  ...prefix("vendor", [
    route("login", "routes/vendor.login.tsx"),
    // The second step (code or recovery code) and the mandatory first enrolment: outside the layout's guard.
    route("login/verify", "routes/vendor.login.verify.tsx"),
    route("two-factor", "routes/vendor.two-factor.tsx"),
    // Joining the vendor staff from an invitation link (ADR 023); no session yet.
    route("invite/:token", "routes/vendor.invite.$token.tsx"),
    route("logout", "routes/vendor.logout.tsx"),
    // パスワードをお忘れの方 (ADR 022): the request and the mail's single-use link, outside the guard.
    route("password/forgot", "routes/vendor.password.forgot.tsx"),
    route("password/reset/:token", "routes/vendor.password.reset.$token.tsx"),
    layout("routes/vendor.tsx", [
      index("routes/vendor._index.tsx"),
      // The onboarding wizard (ADR onboarding): step 1 creates the city as a draft; each later step is
      // a page under the city, saved and resumable. /cities/new now leads to the wizard.
      route("onboarding/new", "routes/vendor.onboarding.new.tsx"),
      route("onboarding/:tenantId", "routes/vendor.onboarding.$tenantId.tsx", [
        index("routes/vendor.onboarding.$tenantId._index.tsx"),
        route("city", "routes/vendor.onboarding.$tenantId.city.tsx"),
        route("line", "routes/vendor.onboarding.$tenantId.line.tsx"),
        route("webhook", "routes/vendor.onboarding.$tenantId.webhook.tsx"),
        route("liff", "routes/vendor.onboarding.$tenantId.liff.tsx"),
        route("richmenu", "routes/vendor.onboarding.$tenantId.richmenu.tsx"),
        route("billing", "routes/vendor.onboarding.$tenantId.billing.tsx"),
        route("admin", "routes/vendor.onboarding.$tenantId.admin.tsx"),
        route("live", "routes/vendor.onboarding.$tenantId.live.tsx"),
      ]),
      route("cities/new", "routes/vendor.cities.new.tsx"),
      route("cities/:tenantId", "routes/vendor.cities.$tenantId.tsx"),
      // Billing (ADR billing): all cities' state, one city's billing with suspension for non-payment,
      // and usage per city per month with its CSV export.
      route("billing", "routes/vendor.billing.tsx"),
      route("cities/:tenantId/billing", "routes/vendor.cities.$tenantId.billing.tsx"),
      route("usage", "routes/vendor.usage.tsx"),
      route("usage/export", "routes/vendor.usage.export.ts"),
      // Across cities (issue 20): k-anonymous figures beside the health table; the vendor's audit log.
      route("insights", "routes/vendor.insights.tsx"),
      route("insights/export", "routes/vendor.insights.export.ts"),
      route("audit", "routes/vendor.audit.tsx"),
      route("audit/export", "routes/vendor.audit.export.ts"),
      route("account", "routes/vendor.account.tsx"),
      route("staff", "routes/vendor.staff.tsx"),
      // Failed background jobs across queues, with a retry button (audited).
      route("jobs", "routes/vendor.jobs.tsx"),
      // Disaster mode for many cities at once (issue 18.5).
      route("disaster", "routes/vendor.disaster.tsx"),
    ]),
  ]),

  // LINE's webhook per city (signature-authenticated, no session, no CSRF origin check).
  route("webhooks/line/:tenantId", "routes/webhooks.line.$tenantId.ts"),
  // Stripe's webhook (signature-authenticated with STRIPE_WEBHOOK_SECRET; raw body).
  route("webhooks/stripe", "routes/webhooks.stripe.ts"),
  route("dev/mail", "routes/dev.mail.tsx"),
  // LINE simulator against the LINE emulator (DEV_TOOLS=1 only): the chat, its LIFF view, rich-menu images.
  route("dev/line", "routes/dev.line.tsx"),
  route("dev/line/open", "routes/dev.line.open.ts"),
  route("dev/line/richmenu/:richMenuId", "routes/dev.line.richmenu.$richMenuId.ts"),
  route("healthz", "routes/healthz.ts"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
