// The Nest application: one controller with GET / and GET /slow?ms=N, and a service whose
// lifecycle hooks report on stderr, so you can see them run after the last request finished.
import { BadRequestException, Controller, Get, Injectable, Module, Query } from '@nestjs/common';
import type { OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import { safeGetWorkerContext } from '@einhorn/worker';

const MAX_SLOW_MS = 60_000;

@Injectable()
export class GreetingService implements OnModuleDestroy, OnApplicationShutdown {
  private readonly childIndex: number | undefined;

  constructor() {
    const worker = safeGetWorkerContext();
    this.childIndex = worker.success ? worker.data.childIndex : undefined;
  }

  whoAmI(): string {
    return `pid ${process.pid}${this.childIndex === undefined ? '' : ` (child index ${this.childIndex})`}`;
  }

  // Both run from app.close(), which serve() calls in afterDrain: after the last request.
  onModuleDestroy(): void {
    process.stderr.write(`example-nestjs: pid ${process.pid} onModuleDestroy\n`);
  }

  onApplicationShutdown(): void {
    process.stderr.write(`example-nestjs: pid ${process.pid} onApplicationShutdown\n`);
  }
}

@Controller()
export class AppController {
  constructor(private readonly greeting: GreetingService) {}

  @Get()
  hello(): string {
    return `Hello from ${this.greeting.whoAmI()}\n`;
  }

  @Get('slow')
  async slow(@Query('ms') raw = '0'): Promise<string> {
    const ms = Number(raw);
    if (!Number.isInteger(ms) || ms < 0 || ms > MAX_SLOW_MS)
      throw new BadRequestException(`ms must be an integer between 0 and ${MAX_SLOW_MS}.`);
    await new Promise((resolve) => setTimeout(resolve, ms));
    return `Slept ${ms} ms in ${this.greeting.whoAmI()}\n`;
  }
}

@Module({ controllers: [AppController], providers: [GreetingService] })
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is an empty class carrying @Module metadata
export class AppModule {}
