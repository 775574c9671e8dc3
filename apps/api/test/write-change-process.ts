// A separate process that changes one booking's title, as a worker in another process would.
import postgres from 'postgres';

const { DATABASE_URL, BOOKING_UID, TITLE } = process.env;
if (!DATABASE_URL || !BOOKING_UID || !TITLE) throw new Error('DATABASE_URL, BOOKING_UID and TITLE are required');
const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
await sql`update cal_bookings set title = ${TITLE} where cal_uid = ${BOOKING_UID}`;
await sql.end();
