// The Nest application of the NestJS guide: a controller, and a provider whose shutdown hooks
// close what requests use. nestjs-app.ts (Express platform) and nestjs-fastify.ts serve it.
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import type { OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';

// #region module
@Injectable()
export class Database implements OnModuleDestroy, OnApplicationShutdown {
  private open = true;

  query(): string {
    if (!this.open) throw new Error('the pool is closed'); // what a request would hit too early
    return `worker ${process.pid}`;
  }

  // Runs from app.close(), which serve() calls once the last request has been answered.
  onModuleDestroy(): void {
    this.open = false; // pool.end()
    process.stderr.write(`onModuleDestroy in ${process.pid}\n`);
  }

  onApplicationShutdown(signal?: string): void {
    process.stderr.write(`onApplicationShutdown in ${process.pid} (${signal ?? 'no signal'})\n`);
  }
}

@Controller()
export class HelloController {
  constructor(private readonly database: Database) {}

  @Get()
  hello(): string {
    return `Hello from ${this.database.query()}\n`;
  }
}

@Module({ controllers: [HelloController], providers: [Database] })
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is an empty class carrying @Module metadata
export class AppModule {}
// #endregion module
