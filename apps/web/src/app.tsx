import { lazy, Suspense } from "react";
import { Route, Routes } from "react-router";
import { Layout } from "./components/layout.tsx";
import { Loading } from "./components/ui.tsx";
import { RequireRole } from "./lib/auth.tsx";
import { AccountPage } from "./pages/account.tsx";
import { LoginPage, RegisterPage } from "./pages/auth.tsx";
import { CheckoutPage } from "./pages/checkout.tsx";
import { EventPage } from "./pages/event-page.tsx";
import { EventsListPage } from "./pages/events-list.tsx";
import { MyBookingsPage } from "./pages/my-bookings.tsx";
import { NotFoundPage } from "./pages/not-found.tsx";

// Organizer and admin pages (charts, forms) load on demand: attendees never download them.
const named = <K extends string>(load: () => Promise<Record<K, React.ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));
const organizerPages = () => import("./pages/organizer/index.ts");
const MyEventsPage = named(organizerPages, "MyEventsPage");
const NewEventPage = named(organizerPages, "NewEventPage");
const EditEventPage = named(organizerPages, "EditEventPage");
const ManageEventLayout = named(organizerPages, "ManageEventLayout");
const ManageOverview = named(organizerPages, "ManageOverview");
const AttendeesPage = named(organizerPages, "AttendeesPage");
const WaitlistAdminPage = named(organizerPages, "WaitlistAdminPage");
const DoorPage = named(organizerPages, "DoorPage");
const VenuesPage = named(organizerPages, "VenuesPage");
const NewVenuePage = named(organizerPages, "NewVenuePage");
const AnalyticsPage = named(() => import("./pages/organizer/analytics.tsx"), "AnalyticsPage");
const AdminUsersPage = named(() => import("./pages/admin-users.tsx"), "AdminUsersPage");

const organizer = ["organizer", "admin"] as ("organizer" | "admin")[];

export function AppRoutes() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<EventsListPage />} />
          <Route path="events/:eventId" element={<EventPage />} />
          <Route path="login" element={<LoginPage />} />
          <Route path="register" element={<RegisterPage />} />
          <Route
            path="checkout/:holdId"
            element={
              <RequireRole>
                <CheckoutPage />
              </RequireRole>
            }
          />
          <Route
            path="bookings"
            element={
              <RequireRole>
                <MyBookingsPage />
              </RequireRole>
            }
          />
          <Route
            path="account"
            element={
              <RequireRole>
                <AccountPage />
              </RequireRole>
            }
          />
          <Route
            path="organizer"
            element={
              <RequireRole roles={organizer}>
                <MyEventsPage />
              </RequireRole>
            }
          />
          <Route
            path="organizer/events/new"
            element={
              <RequireRole roles={organizer}>
                <NewEventPage />
              </RequireRole>
            }
          />
          <Route
            path="organizer/venues"
            element={
              <RequireRole roles={organizer}>
                <VenuesPage />
              </RequireRole>
            }
          />
          <Route
            path="organizer/venues/new"
            element={
              <RequireRole roles={organizer}>
                <NewVenuePage />
              </RequireRole>
            }
          />
          <Route
            path="organizer/events/:eventId"
            element={
              <RequireRole roles={organizer}>
                <ManageEventLayout />
              </RequireRole>
            }
          >
            <Route index element={<ManageOverview />} />
            <Route path="edit" element={<EditEventPage />} />
            <Route path="attendees" element={<AttendeesPage />} />
            <Route path="waitlist" element={<WaitlistAdminPage />} />
            <Route path="door" element={<DoorPage />} />
            <Route path="analytics" element={<AnalyticsPage />} />
          </Route>
          <Route
            path="admin/users"
            element={
              <RequireRole roles={["admin"]}>
                <AdminUsersPage />
              </RequireRole>
            }
          />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
