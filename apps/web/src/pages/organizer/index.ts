export { AttendeesPage } from "./attendees.tsx";
export { CodesPage } from "./codes.tsx";
export { DoorPage } from "./door.tsx";
export { EditEventPage, NewEventPage } from "./event-form.tsx";
export { ManageEventLayout, ManageOverview } from "./manage.tsx";
export { MyEventsPage } from "./my-events.tsx";
export { NewVenuePage, VenuesPage } from "./venues.tsx";
export { WaitlistAdminPage } from "./waitlist.tsx";
