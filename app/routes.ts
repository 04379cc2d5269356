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
    route("reservation", "routes/c.$city.reservation.tsx"),
    route("reservation/:id/change", "routes/c.$city.reservation.$id.change.tsx"),
    route("reservation/:id/cancel", "routes/c.$city.reservation.$id.cancel.tsx"),
    // LIFF: the ID-token handshake (resource route) and the LINE friend's 受信設定 page.
    route("liff/session", "routes/c.$city.liff.session.ts"),
    route("line/settings", "routes/c.$city.line.settings.tsx"),
    // Broadcast images, public for LINE's servers to fetch.
    route("media/:mediaId", "routes/c.$city.media.$mediaId.ts"),
    route("admin/login", "routes/c.$city.admin.login.tsx"),
    route("admin/logout", "routes/c.$city.admin.logout.tsx"),
    route("admin/invite/:token", "routes/c.$city.admin.invite.$token.tsx"),
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
      // Phone bookings by staff and the day at a venue (check-in list, attendance, CSV export).
      route("phone", "routes/c.$city.admin.phone.tsx"),
      route("venue-day", "routes/c.$city.admin.venue-day.tsx"),
      route("venue-day/export", "routes/c.$city.admin.venue-day.export.ts"),
      // The city's LINE channel (admin): credentials, webhook URL, connection test, friend counts.
      route("line", "routes/c.$city.admin.line.tsx"),
      // The city's rich menus (admin): 6-tile editor, generated image preview, publish, disaster switch.
      route("line/richmenu", "routes/c.$city.admin.line.richmenu.tsx"),
      route("line/richmenu/preview/:kind", "routes/c.$city.admin.line.richmenu.preview.$kind.ts"),
      // Segment broadcasts to LINE friends (admin): list with progress, composer, live count, detail.
      route("broadcasts", "routes/c.$city.admin.broadcasts.tsx"),
      route("broadcasts/new", "routes/c.$city.admin.broadcasts.new.tsx"),
      route("broadcasts/count", "routes/c.$city.admin.broadcasts.count.ts"),
      route("broadcasts/:broadcastId", "routes/c.$city.admin.broadcasts.$broadcastId.tsx"),
    ]),
  ]),

  ...prefix("vendor", [
    route("login", "routes/vendor.login.tsx"),
    route("logout", "routes/vendor.logout.tsx"),
    layout("routes/vendor.tsx", [
      index("routes/vendor._index.tsx"),
      route("cities/new", "routes/vendor.cities.new.tsx"),
      route("cities/:tenantId", "routes/vendor.cities.$tenantId.tsx"),
      route("account", "routes/vendor.account.tsx"),
    ]),
  ]),

  // LINE's webhook per city (signature-authenticated, no session, no CSRF origin check).
  route("webhooks/line/:tenantId", "routes/webhooks.line.$tenantId.ts"),
  route("dev/mail", "routes/dev.mail.tsx"),
  // LINE simulator against the LINE emulator (DEV_TOOLS=1 only): the chat, its LIFF view, rich-menu images.
  route("dev/line", "routes/dev.line.tsx"),
  route("dev/line/open", "routes/dev.line.open.ts"),
  route("dev/line/richmenu/:richMenuId", "routes/dev.line.richmenu.$richMenuId.ts"),
  route("healthz", "routes/healthz.ts"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
