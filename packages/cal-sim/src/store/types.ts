/** An event type as the simulator keeps it (API v2 2024-06-14 shape, minus the defaults it renders). */
export interface SimEventType {
  id: number;
  slug: string;
  title: string;
  lengthInMinutes: number;
  description: string;
  hidden: boolean;
  price: number;
  currency: string;
  locations: Array<{ type: string; address?: string; link?: string }>;
}
